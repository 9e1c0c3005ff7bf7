// Campaign workflow pages (web/inspections.py, web/workflow.py): a print button, nothing else.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
