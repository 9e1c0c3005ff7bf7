/*
 * Entry module of the case page (web/templates/cases_detail.html): its action
 * forms and timeline photos (cases/case-page.js). Test hook:
 * window.guatuPage.cases; <html data-case-ready> once the page is wired.
 */
import { startCasePage } from "../cases/case-page.js";
import { pageHook } from "../lib/page-hook.js";

var root = document.getElementById("case");
if (root) {
  pageHook().cases = startCasePage(root, window.sessionStorage);
  document.documentElement.dataset.caseReady = "1";
}
