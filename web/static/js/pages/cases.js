/*
 * Entry module of the queues page (/cases): a filter changed on a phone
 * applies at once (the form is an ordinary GET form; its button stays for
 * keyboards and pages without scripts).
 */
var form = document.querySelector("[data-case-filters]");
if (form) {
  form.addEventListener("change", function () { form.requestSubmit(); });
}
