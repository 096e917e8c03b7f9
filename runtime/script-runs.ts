/**
 * The page's <body> scripts as HeyGen's renderer runs them. Its compiler defers every classic
 * script of the body (inline or `src`) until the document is parsed and its web fonts are loaded
 * (at most 5 s), then runs them in document order; scripts that add a DOMContentLoaded (or, once
 * the page has loaded, a load) listener get it called after the last one ran. It also joins every
 * run of consecutive inline scripts (a script with src, defer, async or type="module" ends a run)
 * into one script, so when one of them throws at its top level the ones after it in the run never
 * run: a timeline they would register is missing, and the render is refused.
 *
 * Here each classic body script is turned off as the parser reaches it (a mutation observer sees
 * it before it would run), and run later the same way; a script turned off because an earlier one
 * of its run threw is reported. Inline scripts keep their file and line numbers in errors.
 */
import { native } from './native';
import type { ProblemCollector } from './problems';

const JS_TYPES = /^(|text\/javascript|application\/javascript|text\/ecmascript|application\/ecmascript)$/i;
/** Scripts framesmith inserts itself (sub-compositions) carry this attribute. */
export const OWN_SCRIPT_ATTR = 'data-framesmith-script';
const DEFERRED_TYPE = 'text/framesmith-deferred';
/** The engine's limit on waiting for web fonts before running the composition's scripts. */
const FONT_WAIT_MS = 5000;

function classic(el: HTMLScriptElement): boolean {
  return !el.hasAttribute('nomodule') && JS_TYPES.test((el.getAttribute('type') ?? '').trim());
}

/** Starts a new run of joined inline scripts (as the engine's compiler splits them). */
function separate(el: HTMLScriptElement): boolean {
  return (
    el.hasAttribute('src') ||
    el.hasAttribute('defer') ||
    el.hasAttribute('async') ||
    (el.getAttribute('type') ?? '').trim().toLowerCase() === 'module'
  );
}

interface Deferred {
  el: HTMLScriptElement;
  /** Index of the run of joined inline scripts it belongs to (-1: runs on its own). */
  run: number;
}

export interface BodyScripts {
  /** Resolves once every deferred script ran (or was turned off) and the captured listeners were called. */
  readonly done: Promise<void>;
}

export function installBodyScripts(win: Window & typeof globalThis, problems: ProblemCollector, file: string): BodyScripts {
  const doc = win.document;
  const deferred: Deferred[] = [];
  const seen = new WeakSet<Element>();
  /** The script that ended each run (the joined script goes right before it), or none: body end. */
  const anchors = new Map<number, Element>();
  let run = 0;
  let inRun = false;

  const visit = (el: HTMLScriptElement) => {
    if (seen.has(el) || el.hasAttribute(OWN_SCRIPT_ATTR) || !doc.body?.contains(el) || el.closest('noscript, svg')) return;
    seen.add(el);
    if (separate(el)) {
      if (inRun) anchors.set(run++, el);
      inRun = false;
    }
    // Module scripts wait for the document anyway; async ones run as they arrive.
    if (!classic(el) || el.hasAttribute('async')) return;
    const joined = !el.hasAttribute('src') && !el.hasAttribute('defer');
    if (joined) inRun = true;
    deferred.push({ el, run: joined ? run : -1 });
    el.setAttribute('data-framesmith-type', el.getAttribute('type') ?? '');
    el.type = DEFERRED_TYPE;
  };

  const observer = new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n instanceof HTMLScriptElement) visit(n);
        else if (n instanceof Element) for (const s of n.querySelectorAll('script')) visit(s);
      }
    }
  });
  observer.observe(doc, { childList: true, subtree: true });

  const done = (async () => {
    if (doc.readyState === 'loading') await new Promise((r) => doc.addEventListener('DOMContentLoaded', r, { once: true }));
    for (const r of observer.takeRecords()) for (const n of r.addedNodes) if (n instanceof HTMLScriptElement) visit(n);
    observer.disconnect();
    if (!deferred.length) return;
    await Promise.race([doc.fonts.ready, new Promise((r) => native.setTimeout(r, FONT_WAIT_MS))]);
    const lines = await inlineLines(deferred.map((d) => d.el));
    // Listeners for events that already happened, added by the scripts: called after the last one.
    const captured: { target: EventTarget; type: string; listener: EventListenerOrEventListenerObject }[] = [];
    const restore = [doc, win].map((target) => {
      const original = target.addEventListener;
      target.addEventListener = function (
        this: EventTarget,
        type: string,
        listener: EventListenerOrEventListenerObject | null,
        options?: boolean | AddEventListenerOptions,
      ) {
        if (listener && (type === 'DOMContentLoaded' || (type === 'load' && target === win && doc.readyState === 'complete')))
          captured.push({ target, type, listener });
        else original.call(this, type, listener as EventListenerOrEventListenerObject, options);
      } as typeof original;
      return () => {
        target.addEventListener = original;
      };
    });
    let poisoned = -1;
    try {
      for (const d of deferred) {
        if (d.run >= 0 && d.run === poisoned) {
          problems.add({
            kind: 'page-error',
            code: 'script_not_run',
            message:
              `A script did not run: HeyGen's renderer joins consecutive inline scripts into one, and an earlier one of them threw, ` +
              `so the rest of the joined script never runs in the cloud.`,
            hint: 'Fix the error in the earlier script, or load the scripts from files (src=) so one error does not stop the others.',
            loc: { file, line: lines.get(d.el) ?? 0, column: 0 },
            fatal: false,
          });
          continue;
        }
        const threw = await execute(d, lines.get(d.el));
        if (threw && d.run >= 0) poisoned = d.run;
      }
    } finally {
      for (const r of restore) r();
    }
    for (const { target, type, listener } of captured) {
      try {
        if (typeof listener === 'function') listener.call(target, new Event(type));
        else listener.handleEvent(new Event(type));
      } catch (e) {
        native.reportError(e);
      }
    }
  })();

  /**
   * Runs one deferred script; resolves true when an inline one threw at its top level. A `src`
   * script runs in its place; an inline one where the engine puts its joined run: right before
   * the script that ends the run, else at the end of <body> (so `document.currentScript` is where
   * it is in the cloud).
   */
  function execute(d: Deferred, line: number | undefined): Promise<boolean> {
    const el = d.el;
    if (!el.isConnected) return Promise.resolve(false);
    const s = doc.createElement('script');
    for (const a of [...el.attributes]) if (a.name !== 'type' && a.name !== 'data-framesmith-type') s.setAttribute(a.name, a.value);
    const type = el.getAttribute('data-framesmith-type');
    if (type) s.setAttribute('type', type);
    if (el.hasAttribute('src')) {
      return new Promise((resolve) => {
        s.addEventListener('load', () => resolve(false), { once: true });
        s.addEventListener('error', () => resolve(false), { once: true });
        el.replaceWith(s);
      });
    }
    let threw = false;
    const onError = () => {
      if (doc.currentScript === s) threw = true;
    };
    win.addEventListener('error', onError);
    // Blank lines first, so errors point at the line of the file; the file's URL as its source.
    s.text = `${'\n'.repeat(Math.max(0, (line ?? 1) - 1))}${el.text}\n//# sourceURL=${win.location.href.split(/[?#]/)[0]}`;
    if (d.run < 0) el.replaceWith(s);
    else {
      const anchor = anchors.get(d.run);
      el.remove();
      if (anchor?.isConnected) anchor.before(s);
      else doc.body.appendChild(s);
    }
    win.removeEventListener('error', onError);
    return Promise.resolve(threw);
  }

  return { done };
}

/** The line (1-based) each inline script's code starts on in the page's own source. */
async function inlineLines(scripts: HTMLScriptElement[]): Promise<Map<HTMLScriptElement, number>> {
  const out = new Map<HTMLScriptElement, number>();
  let source: string;
  try {
    // Without the query: the dev server answers a query (the preview's boot options) through Vite,
    // which rewrites inline scripts; the plain URL gives the file as written.
    source = await (await native.fetch(window.location.href.split(/[?#]/)[0], { cache: 'force-cache' })).text();
  } catch {
    return out;
  }
  let from = 0;
  for (const el of scripts) {
    if (el.hasAttribute('src') || !el.text) continue;
    const at = source.indexOf(el.text, from);
    if (at < 0) continue;
    out.set(el, source.slice(0, at).split('\n').length);
    from = at + el.text.length;
  }
  return out;
}
