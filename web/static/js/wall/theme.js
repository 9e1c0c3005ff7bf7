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
export var FLASH_RIM = "#001f3f"; // under the flash: a dark edge keeps it visible on light and dark maps
export var FLASH_MS = 4500; // seen from across the room: blinks for 4.5 s
export var FLASH_RING_PX = 26; // a ring this wide (desk scale) around a place too small to see its outline
export var MAP_BACKGROUND = { light: "#f4f2ec", dark: "#0d1117" }; // wallmap.css --guatu-map
export var MIN_CONTRAST = 3; // a status colour against the map's background (WCAG 1.4.11, graphics)
export var THEMES = {
  light: {
    district: "#3a3a3a", street: "#555555", community: "#8a8a8a", unknown: "#9e9e9e",
  },
  dark: {
    district: "#d8dde3", street: "#aab3bd", community: "#6c7680", unknown: "#6e6e6e",
  },
};

function luminance(hex) {
  var n = parseInt(hex.slice(1), 16);
  var lin = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map(function (v) {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

// WCAG contrast ratio of two "#rrggbb" colours.
export function contrast(a, b) {
  var x = luminance(a);
  var y = luminance(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

// A status colour as the theme draws it: itself when it stands out from the
// map's background by MIN_CONTRAST, else mixed towards white (on a dark map)
// or black (on a light one) by the least step that does.
export function legible(hex, theme) {
  var bg = MAP_BACKGROUND[theme] || MAP_BACKGROUND.light;
  if (!/^#[0-9a-f]{6}$/i.test(hex) || contrast(hex, bg) >= MIN_CONTRAST) return hex;
  var n = parseInt(hex.slice(1), 16);
  var rgb = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  var towards = luminance(bg) < 0.18 ? 255 : 0;
  for (var step = 1; step <= 20; step++) {
    var f = step / 20;
    var mixed = "#" + rgb.map(function (c) {
      return (256 + Math.round(c + (towards - c) * f)).toString(16).slice(1);
    }).join("");
    if (contrast(mixed, bg) >= MIN_CONTRAST) return mixed;
  }
  return hex;
}
