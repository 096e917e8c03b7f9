/**
 * The layout the HyperFrames engine imposes on every composition page, applied identically here
 * so the preview and our renders match the cloud's pixels: text rendered with geometric
 * precision, html/body/root sized to the composition with no margins or scrollbars, and the
 * root's timed children laid out as absolute layers.
 */

const SKIP = new Set(['SCRIPT', 'STYLE', 'LINK', 'META', 'TEMPLATE', 'NOSCRIPT']);

/** Head-start styles, installed with the runtime before the page's own styles. */
export function installBaseStyles(doc: Document): void {
  const style = doc.createElement('style');
  style.setAttribute('data-framesmith', 'base');
  // A hidden clip hides all it contains, even descendants that set visibility: visible.
  style.textContent =
    'html,body,*{text-rendering:geometricPrecision}' +
    '[data-framesmith-hidden][style*="visibility: hidden"] *{visibility:hidden !important}';
  (doc.head ?? doc.documentElement).appendChild(style);
}

/** Sizes the page to the composition and lays out the root's timed children. */
export function applyPageSetup(root: HTMLElement, width: number, height: number): void {
  for (const el of [document.documentElement, document.body]) {
    const s = el.style;
    s.margin = '0';
    s.padding = '0';
    s.overflow = 'hidden';
    s.width = `${width}px`;
    s.height = `${height}px`;
  }
  const rs = root.style;
  rs.width = `${width}px`;
  rs.height = `${height}px`;
  rs.setProperty('--comp-width', `${width}px`);
  rs.setProperty('--comp-height', `${height}px`);
  if (!rs.position) rs.position = 'relative';
  rs.overflow = 'hidden';
  // Every computed style is read before any is written: a write between reads makes each read
  // recompute the styles of all siblings (minutes for a root with a few thousand clips).
  const layers = [...root.children]
    .filter((c): c is HTMLElement => c instanceof HTMLElement && !SKIP.has(c.tagName) && c.hasAttribute('data-start'))
    .map((child) => {
      const computed = getComputedStyle(child);
      return { child, position: computed.position, width: computed.width, height: computed.height };
    });
  for (const { child, position, width, height } of layers) {
    if (position !== 'absolute' && position !== 'fixed') child.style.position = 'absolute';
    if (width === '0px') child.style.width = child.getAttribute('data-width') ? `${child.getAttribute('data-width')}px` : '100%';
    if (height === '0px') child.style.height = child.getAttribute('data-height') ? `${child.getAttribute('data-height')}px` : '100%';
  }
}
