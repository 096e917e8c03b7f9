/**
 * Inline scripts of the page's <body> as HeyGen's renderer runs them. Its compiler joins every
 * run of consecutive classic inline scripts (a script with src, defer, async or type="module"
 * ends a run) into one script. So when one of them throws at its top level, the ones after it
 * in the same run never run in the cloud: a timeline they would register is missing, and the
 * render is refused. Here each of them still arrives as its own script; once one throws, the
 * later ones of its run are turned off before they run (a mutation observer sees each
 * parser-inserted script before it executes), and each is reported.
 */
import type { ProblemCollector } from './problems';

const JS_TYPES = /^(|text\/javascript|application\/javascript|text\/ecmascript|application\/ecmascript|module)$/i;
/** Scripts framesmith inserts itself (sub-compositions) carry this attribute. */
export const OWN_SCRIPT_ATTR = 'data-framesmith-script';

function classicInline(el: HTMLScriptElement): boolean {
  const type = (el.getAttribute('type') ?? '').trim().toLowerCase();
  return !el.hasAttribute('nomodule') && type !== 'module' && JS_TYPES.test(type) && !el.hasAttribute('src');
}

function separate(el: HTMLScriptElement): boolean {
  return el.hasAttribute('src') || el.hasAttribute('defer') || el.hasAttribute('async') || (el.getAttribute('type') ?? '').trim().toLowerCase() === 'module';
}

export function installScriptRuns(win: Window & typeof globalThis, problems: ProblemCollector, file: string): void {
  let members = new Set<HTMLScriptElement>();
  let poisonedBy: HTMLScriptElement | null = null;
  const seen = new WeakSet<Element>();
  let done = false;

  win.addEventListener(
    'error',
    (event) => {
      const current = win.document.currentScript as HTMLScriptElement | null;
      if (!done && event instanceof ErrorEvent && current && members.has(current)) poisonedBy ??= current;
    },
    true,
  );

  const visit = (el: HTMLScriptElement) => {
    if (seen.has(el) || el.hasAttribute(OWN_SCRIPT_ATTR) || !win.document.body?.contains(el) || el.closest('noscript, svg')) return;
    seen.add(el);
    if (separate(el)) {
      members = new Set();
      poisonedBy = null;
    } else if (classicInline(el)) {
      if (poisonedBy) {
        el.type = 'text/framesmith-not-run';
        problems.add({
          kind: 'page-error',
          code: 'script_not_run',
          message:
            `A script did not run: HeyGen's renderer joins consecutive inline scripts into one, and an earlier one of them threw, ` +
            `so the rest of the joined script never runs in the cloud.`,
          hint: 'Fix the error in the earlier script, or load the scripts from files (src=) so one error does not stop the others.',
          loc: { file, line: 0, column: 0 },
          fatal: false,
        });
      } else members.add(el);
    }
  };

  const observer = new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n instanceof HTMLScriptElement) visit(n);
        else if (n instanceof Element) for (const s of n.querySelectorAll('script')) visit(s);
      }
    }
  });
  observer.observe(win.document, { childList: true, subtree: true });
  win.document.addEventListener(
    'DOMContentLoaded',
    () => {
      done = true;
      observer.disconnect();
    },
    { once: true },
  );
}
