/**
 * Collects what goes wrong in the page (uncaught errors and rejections, failed loads of scripts,
 * styles, images and media, console.error calls, contract problems) with a project-relative
 * location, so the CLI and the dev overlay can say what failed and where.
 */
import type { SourceLocation } from '../src/shared/diagnostics';
import type { RuntimeProblem } from '../src/shared/control';
import { native } from './native';

type Listener = (p: RuntimeProblem) => void;

export class ProblemCollector {
  readonly list: RuntimeProblem[] = [];
  private listeners = new Set<Listener>();
  /** Current composition time, stamped on problems raised during a seek. */
  time: number | undefined;

  add(problem: RuntimeProblem): void {
    if (this.time !== undefined && problem.time === undefined) problem.time = this.time;
    const key = `${problem.kind}|${problem.message}|${problem.loc?.file}:${problem.loc?.line}`;
    if (this.list.some((p) => `${p.kind}|${p.message}|${p.loc?.file}:${p.loc?.line}` === key)) return;
    this.list.push(problem);
    for (const l of this.listeners) l(problem);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens on the window for errors, rejections, failed resource loads and console.error. */
  install(win: Window & typeof globalThis): void {
    win.addEventListener(
      'error',
      (event) => {
        const target = event.target as Element | null;
        if (event instanceof ErrorEvent) {
          this.add({
            kind: 'page-error',
            code: 'page_error',
            message: event.message || String(event.error),
            hint: 'Fix the script error. HeyGen renders through it unless it keeps a timeline from registering.',
            loc: locationOf(event.filename, event.lineno, event.colno),
            fatal: false,
          });
        } else if (target && target !== (win as unknown) && 'tagName' in target) {
          const url = (target as HTMLImageElement).currentSrc || target.getAttribute('src') || target.getAttribute('href') || '';
          const abs = url ? new URL(url, win.location.href).href : '';
          const tag = target.tagName.toLowerCase();
          this.add({
            kind: 'asset',
            code: 'asset_load_failed',
            message: `Failed to load <${tag}> ${displayUrl(abs)}`,
            hint: 'Check that the file exists in the project with exactly this name (file names are case-sensitive).',
            url: abs,
            loc: locationOf(abs),
            // HeyGen's renderer refuses a render whose video or audio source it cannot read; a
            // missing image, style or font renders without it; a missing script matters only
            // when it keeps a timeline from registering (decided by the runtime's readiness check).
            fatal: tag === 'video' || tag === 'audio' || (tag === 'source' && !!target.closest('video, audio')),
          });
        }
      },
      true,
    );
    win.addEventListener('unhandledrejection', (event) => {
      const reason = event.reason as { message?: string; stack?: string } | undefined;
      this.add({
        kind: 'page-error',
        code: 'unhandled_rejection',
        message: `Unhandled promise rejection: ${reason?.message ?? String(reason)}`,
        hint: 'Catch the rejected promise or fix its cause.',
        loc: locationFromStack(reason?.stack),
        fatal: false,
      });
    });
    const original = win.console.error;
    win.console.error = (...args: unknown[]) => {
      this.add({
        kind: 'console',
        code: 'console_error',
        message: args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : safeJson(a))).join(' '),
        loc: locationFromStack(new Error().stack, 2),
      });
      original.apply(win.console, args);
    };
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** A same-origin URL as a project-relative path; other URLs unchanged. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.origin === window.location.origin) return decodeURIComponent(u.pathname.replace(/^\//, ''));
  } catch {
    /* not a URL */
  }
  return url;
}

export function locationOf(url: string | undefined, line = 0, column = 0): SourceLocation | undefined {
  if (!url) return undefined;
  return { file: displayUrl(url), line, column };
}

/** The first stack frame that is not the runtime's own, as a location. */
export function locationFromStack(stack: string | undefined, skip = 0): SourceLocation | undefined {
  if (!stack) return undefined;
  const frames = stack.split('\n').slice(1 + skip);
  for (const frame of frames) {
    const m = /\(?((?:https?|file):\/\/[^\s)]+):(\d+):(\d+)\)?\s*$/.exec(frame);
    if (!m || m[1].includes('/__framesmith/')) continue;
    return locationOf(m[1], Number(m[2]), Number(m[3]));
  }
  return undefined;
}

export { native };
