/**
 * GSAP's warnings ("GSAP target #x not found", "Invalid property … Missing plugin?") go to
 * console.warn from inside GSAP, where nobody looks. They are collected as problems (warnings,
 * never fatal to a render) located at the user's line that made the call: the first stack frame
 * outside the file that called console.warn (GSAP's own file, wherever it is served from).
 * Other console.warn calls are the page's own business and pass untouched.
 */
import type { RuntimeProblem } from '../shared/control';
import { native } from './native';
import { displayUrl, locationFromStack, locationOf, type ProblemCollector } from './problems';
import { queuedCallStack } from './timeline-batching';

interface GsapWarning {
  code: string;
  hint: string;
}

/** Which console.warn messages are GSAP's, and what to do about each. */
export function classifyGsapWarning(message: string): GsapWarning | null {
  if (/^GSAP target .* not found/.test(message)) {
    return {
      code: 'gsap_target_not_found',
      hint: 'The selector matches no element when the tween is created: check the id or class, and that the element exists before the script runs.',
    };
  }
  if (/^Invalid property /.test(message)) {
    return {
      code: 'gsap_invalid_property',
      hint: 'Check the property name (a typo animates nothing), or register the plugin that provides it with gsap.registerPlugin().',
    };
  }
  if (/ not eligible for reset| effect requires | plugin\.$|^Please gsap\.registerPlugin|^Invalid scope/.test(message)) {
    return { code: 'gsap_warning', hint: 'GSAP ignored part of this call; see the message.' };
  }
  return null;
}

const FRAME = /\(?((?:https?|file):\/\/[^\s)]+):(\d+):(\d+)\)?\s*$/;

/**
 * The caller's location in a stack taken inside console.warn: frames are skipped while they are
 * the runtime's own, then while they are in the file that called console.warn (the library).
 */
export function callerLocation(stack: string | undefined): RuntimeProblem['loc'] {
  if (!stack) return undefined;
  let library: string | null = null;
  for (const frame of stack.split('\n').slice(1)) {
    const m = FRAME.exec(frame);
    if (!m || m[1].includes('/__framesmith/')) continue;
    const file = m[1].split(/[?#]/)[0];
    if (library === null) {
      library = file;
      continue;
    }
    if (file === library) continue;
    return locationOf(m[1], Number(m[2]), Number(m[3]));
  }
  return library ? locationOf(library) : undefined;
}

/** The page's line that queued the timeline call being applied now (render mode's stand-in), if any. */
function queuedCallLocation(): RuntimeProblem['loc'] {
  const stack = queuedCallStack();
  return stack ? locationFromStack(stack) : undefined;
}

/** Where `key:` is first written as an object key in `text`, as 1-based line and column. */
export function findKey(text: string, key: string): { line: number; column: number } | null {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[{,\\s])(["']?)${escaped}\\2\\s*:`, 'm').exec(text);
  if (!m) return null;
  const at = m.index + m[1].length;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}

/**
 * GSAP warns about an invalid property when the tween first renders (during a seek), so the
 * call that wrote it is not on the stack. The property's name is: find where the page's own
 * scripts (the document's inline scripts, its same-origin script files, the sub-composition
 * files) write it as a key.
 */
async function locateProperty(key: string): Promise<RuntimeProblem['loc']> {
  const urls = [location.href.split('#')[0]];
  for (const s of document.scripts) {
    if (s.src && new URL(s.src).origin === location.origin && !s.src.includes('/__framesmith/')) urls.push(s.src);
  }
  for (const host of document.querySelectorAll('[data-composition-src]')) {
    urls.push(new URL(host.getAttribute('data-composition-src')!.replace(/^\.?\//, ''), new URL('/', location.href)).href);
  }
  for (const url of [...new Set(urls)]) {
    try {
      const res = await native.fetch(url);
      if (!res.ok) continue;
      const text = await res.text();
      if (text.length > 4_000_000) continue;
      const at = findKey(text, key);
      if (at) return { file: displayUrl(url.split(/[?#]/)[0]) || 'index.html', line: at.line, column: at.column };
    } catch {
      /* unreadable: try the next */
    }
  }
  return undefined;
}

/** Wraps `win.console.warn` so GSAP's warnings become problems. */
export function captureGsapWarnings(win: Window & typeof globalThis, problems: ProblemCollector): void {
  const original = win.console.warn;
  win.console.warn = (...args: unknown[]) => {
    const message = args
      .map((a) => (typeof a === 'string' ? a : a instanceof Element ? `<${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}>` : String(a)))
      .join(' ');
    const kind = classifyGsapWarning(message);
    if (kind) {
      const problem: RuntimeProblem = {
        kind: 'console',
        code: kind.code,
        message: message.replace(/\s*https:\/\/gsap\.com\/?$/, ''),
        hint: kind.hint,
        loc: queuedCallLocation() ?? callerLocation(new Error().stack),
      };
      const prop = kind.code === 'gsap_invalid_property' && typeof args[1] === 'string' ? args[1] : null;
      const inLibrary = !problem.loc || problem.loc.line === 0;
      if (prop && inLibrary) {
        // Reported once located (a moment later); the time it was seen is kept.
        const time = problems.time;
        void locateProperty(prop).then((loc) => problems.add({ ...problem, loc: loc ?? problem.loc, time }));
      } else {
        problems.add(problem);
      }
    }
    original.apply(win.console, args);
  };
}
