/**
 * What the dataset view measures in a composition page after each seek, from the page's own
 * layout (nothing is guessed from string lengths): for every visible piece of text, how far its
 * glyph boxes reach past the box that holds it (its nearest block, and any ancestor that clips)
 * and past the frame (the composition root). And, once per row, the images that failed to load.
 * Kept as source text so it runs in the page exactly as written.
 */

/** One piece of text that reaches outside its box or the frame at a time. */
export interface TextMeasure {
  /** A stable name of the element: `#id`, or a CSS path from the root. */
  key: string;
  /** `data-var-text` of the element (or an ancestor), when a variable fills it. */
  variable: string | null;
  /** The first characters of the text. */
  text: string;
  /** CSS px past the holding box / past the frame (0 when inside). */
  box: number;
  frame: number;
}

export interface ImageFailure {
  src: string;
  variable: string | null;
}

/**
 * `() => TextMeasure[]`, evaluated in the page: every visible piece of text, also those inside
 * (0 px), so a caller can tell text that stays out from text that is out at one time only.
 */
export const MEASURE_TEXT = `(() => {
  const root = document.querySelector('[data-composition-id]');
  if (!root) return [];
  const frame = root.getBoundingClientRect();
  const pathOf = (el) => {
    if (el.id) return '#' + el.id;
    const parts = [];
    for (let e = el; e && e !== root && e.parentElement; e = e.parentElement) {
      if (e.id) { parts.unshift('#' + e.id); break; }
      const same = [...e.parentElement.children].filter((c) => c.tagName === e.tagName);
      parts.unshift(e.tagName.toLowerCase() + (same.length > 1 ? ':nth-of-type(' + (same.indexOf(e) + 1) + ')' : ''));
    }
    return parts.join(' > ');
  };
  const visible = (el) => {
    if (typeof el.checkVisibility === 'function' && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })) return false;
    for (let e = el; e; e = e.parentElement) if (parseFloat(getComputedStyle(e).opacity) < 0.02) return false;
    return true;
  };
  const extents = new Map();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.data.trim()) continue;
    const el = n.parentElement;
    if (!el || el.closest('script,style,template,noscript')) continue;
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      if (r.width <= 0 || r.height <= 0) continue;
      const b = extents.get(el) || { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity, text: '' };
      b.left = Math.min(b.left, r.left); b.top = Math.min(b.top, r.top); b.right = Math.max(b.right, r.right); b.bottom = Math.max(b.bottom, r.bottom);
      if (!b.text) b.text = n.data.trim().slice(0, 60);
      extents.set(el, b);
    }
  }
  const past = (outer, inner) => Math.max(0, outer.left - inner.left, inner.right - outer.right, outer.top - inner.top, inner.bottom - outer.bottom);
  const out = [];
  for (const [el, t] of extents) {
    if (!visible(el)) continue;
    let block = el;
    while (block !== root && block.parentElement && ['inline', 'contents'].includes(getComputedStyle(block).display)) block = block.parentElement;
    let box = past(block.getBoundingClientRect(), t);
    // Ancestors that clip hide what reaches past them (the root's own clip is the frame, below).
    for (let a = block.parentElement; a && a !== root && a !== document.documentElement; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') box = Math.max(box, past(a.getBoundingClientRect(), t));
    }
    const fr = past(frame, t);
    const bound = el.closest('[data-var-text]');
    out.push({ key: pathOf(block), variable: bound ? bound.getAttribute('data-var-text') : null, text: t.text, box: Math.round(box), frame: Math.round(fr) });
  }
  return out;
})()`;

/** `() => ImageFailure[]`: images of the page that did not load (broken or blocked). */
export const FAILED_IMAGES = `(() => [...document.images]
  .filter((img) => img.getAttribute('src') && img.complete && img.naturalWidth === 0)
  .map((img) => { const b = img.closest('[data-var-src]'); return { src: img.getAttribute('src'), variable: b ? b.getAttribute('data-var-src') : null }; }))()`;
