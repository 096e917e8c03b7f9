/**
 * Collects what goes wrong in the page (uncaught errors and rejections, failed loads of scripts,
 * styles, images and media, console.error calls, contract problems) with a project-relative
 * location, so the CLI and the dev overlay can say what failed and where.
 */
import type { SourceLocation } from '../shared/diagnostics';
import type { RuntimeProblem } from '../shared/control';
import { native } from './native';
import { isRemoteUrl, remoteUrlFromProxyPath, resourceDiagnostic, VENDOR_HINT } from '../shared/resource-rules';

type Listener = (p: RuntimeProblem) => void;

export class ProblemCollector {
  readonly list: RuntimeProblem[] = [];
  private listeners = new Set<Listener>();
  /** Current composition time, stamped on problems raised during a seek. */
  time: number | undefined;
  /** The first remote script that could not be loaded: script errors after it are its consequence. */
  private missingRemoteScript: string | null = null;

  add(problem: RuntimeProblem): void {
    if (this.time !== undefined && problem.time === undefined) problem.time = this.time;
    if (this.missingRemoteScript && !problem.severity && (problem.kind === 'page-error' || problem.kind === 'timeline')) {
      // The cloud has a network and will load the script; here its absence explains the error.
      problem.severity = 'warning';
      problem.fatal = false;
      problem.message = `${problem.message} (probably because ${this.missingRemoteScript} could not be loaded)`;
      problem.hint = VENDOR_HINT;
    }
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
          if (abs && isRemoteUrl(abs, win.location.origin)) {
            // A remote file framesmith could not have: a warning naming the URL (the cloud has a network).
            const u = new URL(abs);
            const original = (u.origin === win.location.origin && remoteUrlFromProxyPath(u.pathname + u.search)) || abs;
            const kind = remoteKindOf(target);
            if (kind === 'script' && !this.missingRemoteScript) this.missingRemoteScript = original;
            const d = resourceDiagnostic('remote_unavailable', { url: original, kind });
            this.add({
              kind: 'asset',
              code: d.code,
              severity: 'warning',
              message: d.message,
              hint: d.hint,
              url: original,
              loc: locationOf(win.location.href),
              fatal: false,
            });
            return;
          }
          if (abs && !/^(https?|data|blob):/i.test(abs)) {
            // file:, ftp:, …: neither framesmith nor the cloud can load it; an error, like a missing file.
            const d = resourceDiagnostic('unsupported_scheme', { url: abs, kind: remoteKindOf(target) });
            this.add({
              kind: 'asset',
              code: d.code,
              message: d.message,
              hint: d.hint,
              url: abs,
              loc: locationOf(win.location.href),
              fatal: false,
            });
            return;
          }
          this.add({
            kind: 'asset',
            code: 'asset_load_failed',
            message: `Failed to load <${tag}> ${displayUrl(abs)}`,
            hint: `${abs && /^(https?:)?\/\//i.test(url) ? 'Check the URL.' : 'Check that the file exists in the project with exactly this name (file names are case-sensitive).'} HeyGen's renderer would render the video without it; framesmith stops here so you don't pay for a broken render.`,
            url: abs,
            loc: locationOf(abs),
            // A project file that cannot be loaded stops snapshot, render and the build check on
            // purpose (REFUSED_BY_FRAMESMITH). HeyGen's renderer refuses only a video or audio
            // source it cannot read and renders without a missing image, style or font.
            fatal: true,
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

/** What kind of resource an element loads, for the words of a remote warning. */
function remoteKindOf(el: Element): string {
  const tag = el.tagName.toLowerCase();
  if (tag === 'script') return 'script';
  if (tag === 'link') {
    const rel = (el.getAttribute('rel') ?? '').toLowerCase();
    if (rel.includes('stylesheet')) return 'style';
    const as = (el.getAttribute('as') ?? '').toLowerCase();
    return as === 'font' ? 'font' : as === 'script' ? 'script' : as === 'style' ? 'style' : 'other';
  }
  if (tag === 'img' || tag === 'image' || tag === 'input') return 'image';
  if (tag === 'video' || tag === 'audio' || tag === 'source' || tag === 'track') return 'media';
  if (tag === 'iframe') return 'document';
  return 'other';
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
