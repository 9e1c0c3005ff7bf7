/*
 * Entry module of the bell on every page of a logged-in account
 * (templates/_inbox_bell.html): inbox/bell.js. Test hook:
 * window.guatuPage.inboxBell (its Poller: refresh() asks now);
 * <html data-inbox-bell-ready> once it is wired.
 */
import { startBell } from "../inbox/bell.js";
import { pageHook } from "../lib/page-hook.js";

var bell = document.querySelector("[data-inbox-bell]");
if (bell && !pageHook().inboxBell) {
  pageHook().inboxBell = startBell(bell, document);
  document.documentElement.dataset.inboxBellReady = "1";
}
