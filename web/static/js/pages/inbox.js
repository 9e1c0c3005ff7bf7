/*
 * Entry module of /inbox (templates/inbox.html): inbox/inbox-page.js. Test
 * hook: window.guatuPage.inbox; <html data-inbox-ready> once it is wired.
 */
import { startInboxPage } from "../inbox/inbox-page.js";
import { pageHook } from "../lib/page-hook.js";

var list = document.querySelector("[data-inbox-list]");
if (list) pageHook().inbox = startInboxPage(list, document);
document.documentElement.dataset.inboxReady = "1";
