/*
 * Entry module of the campaign workflow pages (web/inspections.py,
 * web/workflow.py): a print button, nothing else.
 */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
