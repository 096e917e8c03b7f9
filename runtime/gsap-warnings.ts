/**
 * GSAP's warnings ("GSAP target #x not found", "Invalid property … Missing plugin?") go to
 * console.warn from inside GSAP, where nobody looks. They are collected as problems (warnings,
 * never fatal to a render) located at the user's line that made the call: the first stack frame
 * outside the file that called console.warn (GSAP's own file, wherever it is served from).
 * Other console.warn calls are the page's own business and pass untouched.
 */
import type { RuntimeProblem } from '../src/shared/control';
import { locationOf, type ProblemCollector } from './problems';

interface GsapWarning {
  code: string;
  hint: string;
}

/** Which console.warn messages are GSAP's, and what to do about each. */
export function classifyGsapWarning(message: string): GsapWarning | null {
  if (/^GSAP target .* not found/.test(message)) {
    return { code: 'gsap_target_not_found', hint: 'The selector matches no element when the tween is created: check the id or class, and that the element exists before the script runs.' };
  }
  if (/^Invalid property /.test(message)) {
    return { code: 'gsap_invalid_property', hint: 'Check the property name (a typo animates nothing), or register the plugin that provides it with gsap.registerPlugin().' };
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

/** Wraps `win.console.warn` so GSAP's warnings become problems. */
export function captureGsapWarnings(win: Window & typeof globalThis, problems: ProblemCollector): void {
  const original = win.console.warn;
  win.console.warn = (...args: unknown[]) => {
    const message = args.map((a) => (typeof a === 'string' ? a : a instanceof Element ? `<${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}>` : String(a))).join(' ');
    const kind = classifyGsapWarning(message);
    if (kind) {
      problems.add({ kind: 'console', code: kind.code, message: message.replace(/\s*https:\/\/gsap\.com\/?$/, ''), hint: kind.hint, loc: callerLocation(new Error().stack) });
    }
    original.apply(win.console, args);
  };
}
