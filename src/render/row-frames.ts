/**
 * Frames a batch's rows share. Rows differ only in their variable values, so at a frame where
 * nothing those values change is on screen yet (an intro before the headline comes in, an end
 * card without it), every row shows the same picture. The first row records, for each frame it
 * captures, the image and a fingerprint of what the page shows; a later row, at the same frame,
 * computes its own fingerprint after seeking (a few milliseconds in the page) and takes the
 * first row's image when the fingerprints are equal, instead of drawing and reading back the
 * frame (tens of milliseconds).
 *
 * The fingerprint covers everything that decides the pixels of a page built from the DOM: every
 * element's tag, attributes (inline styles included, which is where GSAP and custom properties
 * write; custom properties that no `var()` reads are left out, as the runtime writes every
 * variable as one) and text, the rules of every style sheet, and form values. Subtrees that draw nothing and
 * move nothing are left out, so a variable's text inside them does not count: `display: none`,
 * and absolutely or fixed positioned elements at opacity 0 (or hidden, with nothing inside made
 * visible again). What the DOM does not hold makes a page unsafe, and its frames are never shared:
 * a canvas (drawn by script), an iframe, an embed or object, a shadow root, SVG animation elements
 * (SMIL) and a marquee (both move on their own clock).
 *
 * The capture worker also compares it between consecutive frames of one video (capture-worker.ts):
 * a frame whose fingerprint equals the drawn frame's shows the same picture and takes its image.
 * For that it also covers what changes pixels while the DOM stays put: every animation the
 * document runs (CSS animations and transitions, Web Animations: play state, progress and iteration),
 * each video's time and readiness, whether each image has loaded, the fonts' loading state, and
 * the scroll position of every scrolled element.
 */

/** The page-side fingerprint: `null` when the page cannot be fingerprinted (see above). */
export const FINGERPRINT_SOURCE = `() => {
  if (document.querySelector('canvas, iframe, embed, object, marquee, animate, animateTransform, animateMotion, set')) return null;
  let h1 = 0x811c9dc5, h2 = 0x01000193, n = 0;
  const feed = (s) => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 16777619);
      h2 = Math.imul(h2 ^ c, 2246822507) ^ (h2 >>> 15);
    }
    n += s.length;
    h1 = Math.imul(h1 ^ 0x1f, 16777619);
  };
  const anyShown = (el) => {
    for (const d of el.querySelectorAll('*')) if (getComputedStyle(d).visibility === 'visible') return true;
    return false;
  };
  let unsafe = false;
  // Custom properties nothing reads (no var() names them) change no pixel: the runtime writes
  // every variable as one (--headline), so leave those out of style attributes.
  const sheets = [...document.styleSheets, ...(document.adoptedStyleSheets || [])];
  const ruleTexts = [];
  for (const sheet of sheets) {
    let rules;
    try { rules = sheet.cssRules; } catch { return null; }
    for (const r of rules) ruleTexts.push(r.cssText);
  }
  const read = new Set();
  const scan = (t) => { for (const m of t.matchAll(/var\\(\\s*(--[\\w-]+)/g)) read.add(m[1]); };
  for (const t of ruleTexts) scan(t);
  for (const el of document.querySelectorAll('[style]')) scan(el.getAttribute('style'));
  const style = (v) => v.replace(/(^|;)\\s*(--[\\w-]+)\\s*:[^;]*/g, (m, p, name) => (read.has(name) ? m : p));
  const walk = (el) => {
    if (el.shadowRoot) { unsafe = true; return; }
    const cs = getComputedStyle(el);
    if (cs.display === 'none') { feed('<none>'); return; }
    if ((cs.position === 'absolute' || cs.position === 'fixed') && (cs.opacity === '0' || (cs.visibility === 'hidden' && !anyShown(el)))) { feed('<hidden>'); return; }
    feed('<' + el.tagName);
    for (const a of el.attributes) { feed(a.name); feed(a.name === 'style' ? style(a.value) : a.value); }
    if ('value' in el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT')) feed(String(el.value));
    if (el.tagName === 'IMG') feed(el.complete ? '<loaded>' : '<loading>');
    else if (el.tagName === 'VIDEO') feed('<video ' + el.currentTime + ' ' + el.readyState + ' ' + el.paused + '>');
    if (el.scrollTop || el.scrollLeft) feed('<scroll ' + el.scrollTop + ',' + el.scrollLeft + '>');
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1) walk(c);
      else if (c.nodeType === 3) feed(c.data);
    }
  };
  walk(document.documentElement);
  for (const t of ruleTexts) feed(t);
  // An animation draws by its progress (still in its delay, and once held at its end, it draws the same).
  for (const a of document.getAnimations()) {
    const t = a.effect ? a.effect.getComputedTiming() : null;
    feed('<animation ' + a.playState + ' ' + (t ? t.progress + ' ' + t.currentIteration : a.currentTime) + '>');
  }
  feed('<fonts ' + document.fonts.status + ' ' + document.fonts.size + '>');
  feed(String(scrollX) + ',' + String(scrollY));
  if (unsafe) return null;
  return (h1 >>> 0).toString(36) + '.' + (h2 >>> 0).toString(36) + '.' + n;
}`;

/** The first row's frames, by frame number, within a memory budget. */
export class RowFrames {
  private readonly frames = new Map<number, { fingerprint: string; image: Buffer }>();
  private bytes = 0;

  /** `budget`: bytes of images kept (a batch's extra memory); frames past it are not recorded. */
  constructor(private readonly budget = 256 * 1024 * 1024) {}

  record(frame: number, fingerprint: string | null, image: Buffer): void {
    if (fingerprint === null || this.frames.has(frame)) return;
    if (this.bytes + image.length > this.budget) return;
    this.frames.set(frame, { fingerprint, image });
    this.bytes += image.length;
  }

  /** Whether the first row recorded this frame (so a fingerprint is worth computing). */
  has(frame: number): boolean {
    return this.frames.has(frame);
  }

  /** The first row's image of `frame` when it showed the same page, else null. */
  match(frame: number, fingerprint: string | null): Buffer | null {
    if (fingerprint === null) return null;
    const f = this.frames.get(frame);
    return f && f.fingerprint === fingerprint ? f.image : null;
  }

  get size(): number {
    return this.frames.size;
  }
}
