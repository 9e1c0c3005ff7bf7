/*
 * The wall map's fixed colours: the marks (overdue ring, overnight dot,
 * escalation triangle, flash of a change) and the boundary lines of the light and dark themes.
 * Status colours come from the campaign.
 */
export var OVERDUE_STROKE = "#d4006a";
export var OVERNIGHT_FILL = "#ffffff";
export var OVERNIGHT_RIM = "#111111";
export var ESCALATED_STREET = "#ff8c00"; // an escalated case: to the sub-district
export var ESCALATED_DISTRICT = "#e00000"; // to the district
export var FLASH_STROKE = "#00b4ff";
export var FLASH_MS = 4500;
export var THEMES = {
  light: {
    district: "#3a3a3a", street: "#555555", community: "#8a8a8a", unknown: "#9e9e9e",
  },
  dark: {
    district: "#d8dde3", street: "#aab3bd", community: "#6c7680", unknown: "#6e6e6e",
  },
};
