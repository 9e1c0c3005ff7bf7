"""What a page looks like to a phone or tablet, measured in the browser: sideways scrolling, touch targets, text.

`audit(page)` answers the problems it finds (empty when the page is usable by touch):
- `overflow`: how far the page is wider than the screen (`scrollWidth` against the viewport's width; a phone
  browser widens its layout viewport to fit a page that is too wide, so `innerWidth` alone would not tell);
- `small_targets`: visible links, buttons and form controls whose hit area is under 44×44 CSS px — the hit
  area is the element's own box, or the box of the `<label>` around it (a checkbox's label is tapped too);
- `small_text`: visible text set under 12 px;
- `zoom_locked`: a viewport meta that forbids pinch-zoom (`user-scalable=no`, `maximum-scale` under 2).
Each problem names the element (tag, id/class, text), so a failing test says what to fix; `targets` and
`texts` count what was measured.
"""

from __future__ import annotations

from playwright.sync_api import Page

MIN_TARGET = 44
MIN_TEXT = 12

_AUDIT = """([minTarget, minText, width]) => {
  const shown = (el) => {
    if (!el.getClientRects().length) return false;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const name = (el) => {
    const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 24);
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + (text ? ' "' + text + '"' : '')
      + (el.type && el.tagName === 'INPUT' ? '[' + el.type + ']' : '');
  };
  const out = {overflow: Math.max(document.documentElement.scrollWidth, window.innerWidth) - width, small_targets: [],
               small_text: [], zoom_locked: [], targets: 0, texts: 0};
  const targets = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(targets)) {
    if (!shown(el) || el.disabled) continue;
    out.targets += 1;
    const box = el.getBoundingClientRect();
    const label = el.closest('label');
    const area = label && shown(label) ? label.getBoundingClientRect() : box;
    const w = Math.max(box.width, area.width), h = Math.max(box.height, area.height);
    if (w < minTarget - 0.5 || h < minTarget - 0.5) out.small_targets.push(name(el) + ' ' + Math.round(w) + '×' + Math.round(h));
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || seen.has(el) || el.closest('script, style, noscript, option')) continue;
    seen.add(el);
    if (!shown(el)) continue;
    out.texts += 1;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minText - 0.01) out.small_text.push(name(el) + ' ' + size + 'px');
  }
  for (const meta of document.querySelectorAll('meta[name=viewport]')) {
    const c = meta.content.replace(/\\s/g, '').toLowerCase();
    const max = /maximum-scale=([\\d.]+)/.exec(c);
    if (/user-scalable=(no|0)/.test(c) || (max && Number(max[1]) < 2)) out.zoom_locked.push(meta.content);
  }
  if (!document.querySelector('meta[name=viewport]')) out.zoom_locked.push('no viewport meta');
  return out;
}"""


def audit(page: Page) -> dict:
    """The page's problems on a small touch screen, once it has loaded with its stylesheets (see the module's
    docstring): a page measured before its styles apply is not the page a person sees."""
    page.wait_for_load_state("load")
    return page.evaluate(_AUDIT, [MIN_TARGET, MIN_TEXT, page.viewport_size["width"]])


def problems(found: dict) -> dict:
    """The problems of an `audit`, keeping only the kinds that have something to report."""
    kinds = ("overflow", "small_targets", "small_text", "zoom_locked")
    return {key: found[key] for key in kinds if (found[key] > 0 if key == "overflow" else found[key])}
