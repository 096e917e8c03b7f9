/**
 * The preview's problems, one entry per problem, each attributed to its cause:
 * - parser and lint findings (file:line), module build errors from Vite, the project's fatal error;
 * - what the page raises while it runs: uncaught errors, failed loads, GSAP's warnings, a timeline
 *   that is never registered; sounds that cannot be decoded.
 * The same problem seen twice is shown once: a missing file lint found and the page failed to
 * load, a root without size the runtime also reports, a sound that neither plays nor decodes. A
 * timeline that is never registered because a script failed first is shown under that error as
 * its consequence, not as a second cause. A problem caused by a variable's value (an image path
 * that does not load, an error that appeared when the value changed) names the variable, whose
 * field is marked, instead of asking to fix a file.
 *
 * Shown as a count badge in the top bar (errors red, warnings yellow) that opens the list;
 * errors caused by files also cover the preview until fixed (Esc hides them until the next change).
 * `file:line` opens the editor.
 */
import { problemSeverity, type RuntimeProblem } from '../shared/control';
import type { Diagnostic, ProblemData } from '../shared/diagnostics';
import type { AssetRef } from '../shared/model';
import { h, icon, ICONS, replaceChildren } from './dom';
import { locLink, type Toast } from './editor-link';

export interface VariableRef {
  id: string;
  label: string;
}

export interface ShownProblem extends ProblemData {
  severity: 'error' | 'warning';
  /** Where it comes from, as shown: `lint`, `page`, `module`, `project`, `asset`, `sound`, `variable`. */
  source: string;
  time?: number;
  url?: string;
  /** The variable whose value causes it. */
  variable?: VariableRef;
  /** What it caused (shown under it, not counted). */
  consequences: ShownProblem[];
  /** Said after the message (e.g. "the page failed to load it too"). */
  note?: string;
}

/** A sound the preview could not decode. */
export interface SoundProblem extends ProblemData {
  url: string;
  severity: 'error' | 'warning';
}

export interface ProblemsContext {
  /** The variable whose current value causes a runtime problem, if one does. */
  variableFor(p: RuntimeProblem): VariableRef | null;
  /** The model's asset references (to place a failed load at the line that references it). */
  assets(): AssetRef[];
  toast: Toast;
  /** Focus a variable's field (from a problem's variable tag). */
  showVariable(id: string): void;
}

const where = (p: ProblemData) => (p.loc ? (p.loc.line > 0 ? `${p.loc.file}:${p.loc.line}:${p.loc.column}` : p.loc.file) : '');
const keyOf = (p: ProblemData) => `${p.code}\n${p.message}\n${where(p)}`;
/** Longest message kept (a 1 MB value must not make a 1 MB problem). */
const MAX_MESSAGE = 2000;
const clip = (s: string) => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}… (${s.length - MAX_MESSAGE} more characters)` : s);

/** Project-relative path of a same-origin URL, else null. */
function pathOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url, location.href);
    return u.origin === location.origin ? decodeURIComponent(u.pathname.replace(/^\/+/, '')) : null;
  } catch {
    return null;
  }
}

/**
 * Merges the sources into one list (see the file comment). Pure: `ctx` answers the questions
 * about variables and assets.
 */
export function mergeProblems(
  project: Diagnostic[],
  fatal: ProblemData | null,
  modules: ProblemData[],
  runtime: RuntimeProblem[],
  sound: SoundProblem[],
  ctx: Pick<ProblemsContext, 'variableFor' | 'assets'>,
): ShownProblem[] {
  const out: ShownProblem[] = [];
  const seen = new Set<string>();
  const push = (p: ShownProblem) => {
    const k = keyOf(p);
    if (seen.has(k)) return null;
    seen.add(k);
    out.push(p);
    return p;
  };
  if (fatal) push({ ...fatal, severity: 'error', source: 'project', consequences: [] });
  const projectShown = project
    .filter((p) => p.severity !== 'info')
    .map((p) => push({ ...p, severity: p.severity === 'error' ? 'error' : 'warning', source: 'lint', consequences: [] }))
    .filter((p): p is ShownProblem => p !== null);
  for (const m of modules) push({ ...m, message: clip(m.message), severity: 'error', source: 'module', consequences: [] });

  const assets = ctx.assets();
  const missingByPath = new Map<string, AssetRef>();
  const refByPath = new Map<string, AssetRef>();
  for (const a of assets) {
    if (!a.path) continue;
    if (!refByPath.has(a.path)) refByPath.set(a.path, a);
    if (!a.exists && !missingByPath.has(a.path)) missingByPath.set(a.path, a);
  }
  const lintAt = (a: AssetRef) => projectShown.find((p) => p.loc && p.loc.file === a.loc.file && p.loc.line === a.loc.line);
  const lintCodes = new Set(projectShown.map((p) => `${p.code}\n${p.loc?.file ?? ''}`));
  const hasLint = (code: string) => projectShown.some((p) => p.code === code);

  let firstScriptError: ShownProblem | null = null;
  const byUrl = new Map<string, ShownProblem>();
  for (const r of runtime) {
    const variable = ctx.variableFor(r);
    const base: ShownProblem = {
      ...r,
      message: clip(r.message),
      // Remote files the preview could not load (and what follows from them) come as warnings.
      // What HeyGen renders through (problemSeverity) and remote files come as warnings.
      severity: problemSeverity(r),
      source: variable ? 'variable' : r.kind === 'asset' ? 'asset' : 'page',
      variable: variable ?? undefined,
      consequences: [],
    };
    // A load that failed for a variable's value has no line to open: the cause is the value.
    if (variable && r.kind === 'asset') base.loc = undefined;
    // A model problem the page also reports (no size on the root…): shown once, with the server's line.
    if ((r.loc?.line ?? 0) === 0 && lintCodes.has(`${r.code}\n${r.loc?.file ?? ''}`)) continue;
    if (r.kind === 'timeline') {
      if (hasLint('missing_timeline_registry')) continue;
      if (firstScriptError) {
        firstScriptError.consequences.push({
          ...base,
          hint: `This follows from the error above: the script stopped before it registered the timeline. Fix that error first.`,
        });
        continue;
      }
    }
    if (r.kind === 'asset' && !variable) {
      const path = pathOf(r.url);
      const missing = path ? missingByPath.get(path) : undefined;
      const lint = missing ? lintAt(missing) : undefined;
      if (lint) {
        lint.note = 'The page failed to load it too.';
        continue;
      }
      const ref = path ? refByPath.get(path) : undefined;
      if (ref && (!base.loc || base.loc.line === 0 || base.loc.file === path)) base.loc = ref.loc;
    }
    const shown = push(base);
    if (shown && r.url) byUrl.set(r.url, shown);
    if (shown && r.kind === 'page-error' && !firstScriptError) firstScriptError = shown;
  }
  for (const s of sound) {
    const failed = byUrl.get(s.url) ?? out.find((p) => p.url && pathOf(p.url) === pathOf(s.url));
    if (failed) {
      failed.note = `${failed.note ? `${failed.note} ` : ''}It cannot be played either; the preview plays on without it.`;
      continue;
    }
    const path = pathOf(s.url);
    const missing = path ? missingByPath.get(path) : undefined;
    if (missing && lintAt(missing)) continue;
    push({ ...s, message: clip(s.message), source: 'sound', consequences: [] });
  }
  return out;
}

export class Problems {
  /** Over the stage. */
  readonly overlay: HTMLElement;
  /** The top bar's count, opening the list. */
  readonly badge: HTMLButtonElement;
  /** The list, under the top bar. */
  readonly popover: HTMLElement;
  private readonly overlayList = h('ul', { class: 'problem-list' });
  private readonly popoverList = h('ul', { class: 'problem-list compact' });
  private readonly overlayFooter = h('footer', {});
  private project: Diagnostic[] = [];
  private fatal: ProblemData | null = null;
  private runtime: RuntimeProblem[] = [];
  private modules: ProblemData[] = [];
  private sound: SoundProblem[] = [];
  private dismissedKey = '';
  private shown: ShownProblem[] = [];
  onChange: (list: ShownProblem[]) => void = () => {};

  constructor(private readonly ctx: ProblemsContext) {
    this.overlay = h(
      'div',
      { class: 'error-overlay', role: 'alertdialog', 'aria-label': 'Errors', hidden: true },
      h(
        'div',
        { class: 'error-card' },
        h(
          'header',
          {},
          icon(ICONS.warn, { size: 18 }),
          h('h2', {}, 'The composition has errors'),
          h(
            'button',
            { class: 'icon-button', title: 'Hide until the next change (Esc)', onclick: () => this.dismiss() },
            icon(ICONS.close),
          ),
        ),
        this.overlayList,
        this.overlayFooter,
      ),
    );
    this.badge = h('button', {
      class: 'problems-badge ok',
      'aria-haspopup': 'dialog',
      'aria-expanded': 'false',
      title: 'Problems',
      onclick: () => this.toggleList(),
    });
    this.popover = h(
      'section',
      { class: 'problems-popover', role: 'dialog', 'aria-label': 'Problems', hidden: true },
      h(
        'header',
        {},
        h('h2', {}, 'Problems'),
        h(
          'button',
          { class: 'icon-button small', title: 'Close (Esc)', 'aria-label': 'Close', onclick: () => this.closeList() },
          icon(ICONS.close, { size: 14 }),
        ),
      ),
      this.popoverList,
    );
    document.addEventListener('pointerdown', (e) => {
      if (!this.popover.hidden && !(e.target as Element).closest('.problems-popover, .problems-badge')) this.closeList();
    });
    this.draw();
  }

  get list(): ShownProblem[] {
    return this.shown;
  }

  get listOpen(): boolean {
    return !this.popover.hidden;
  }

  toggleList(): void {
    if (this.popover.hidden) this.openList();
    else this.closeList();
  }

  openList(): void {
    this.popover.hidden = false;
    this.badge.setAttribute('aria-expanded', 'true');
  }

  closeList(): void {
    this.popover.hidden = true;
    this.badge.setAttribute('aria-expanded', 'false');
  }

  /** Parser and lint findings (or the project's fatal error). */
  setProject(problems: Diagnostic[], fatal: ProblemData | null): void {
    this.project = problems;
    this.fatal = fatal;
    this.draw();
  }

  /** The current document's runtime problems. */
  setRuntime(problems: RuntimeProblem[]): void {
    this.runtime = problems;
    this.draw();
  }

  setSound(problems: SoundProblem[]): void {
    this.sound = problems;
    this.draw();
  }

  /** A module build error (kept until the next reload clears it). */
  addModule(problem: ProblemData): void {
    this.modules.push(problem);
    this.draw();
  }

  clearModules(): void {
    this.modules = [];
  }

  /** Recomputes (after a variable's value changed: attributions may differ). */
  refresh(): void {
    this.draw();
  }

  dismiss(): void {
    this.dismissedKey = this.overlayKey();
    this.overlay.hidden = true;
  }

  /** Errors the files cause: the ones that cover the preview. */
  private fileErrors(): ShownProblem[] {
    return this.shown.filter((p) => p.severity === 'error' && !p.variable);
  }

  private overlayKey(): string {
    return JSON.stringify(this.fileErrors().map((p) => [p.code, p.message, where(p)]));
  }

  private item(p: ShownProblem, nested = false): HTMLElement {
    const toast = this.ctx.toast;
    return h(
      'li',
      { class: `problem ${p.severity}${nested ? ' consequence' : ''}`, 'data-code': p.code },
      h(
        'div',
        { class: 'problem-head' },
        h('span', { class: 'problem-source' }, nested ? 'consequence' : p.source),
        p.loc ? locLink(p.loc, toast) : null,
        p.variable
          ? h(
              'button',
              {
                class: 'problem-var',
                title: 'Show the variable',
                onclick: () => (this.closeList(), this.ctx.showVariable(p.variable!.id)),
              },
              `variable ${p.variable.label}`,
            )
          : null,
        h('code', { class: 'problem-code' }, p.code),
      ),
      h(
        'div',
        { class: 'problem-message' },
        p.message,
        p.time !== undefined ? h('span', { class: 'problem-time' }, ` at ${p.time.toFixed(2)}s`) : null,
      ),
      p.note ? h('div', { class: 'problem-note' }, p.note) : null,
      p.variable
        ? h('div', { class: 'problem-hint' }, `Caused by the value of "${p.variable.label}" in the variables panel: change or reset it.`)
        : p.hint
          ? h('div', { class: 'problem-hint' }, p.hint)
          : null,
      p.consequences.length
        ? h(
            'ul',
            { class: 'problem-consequences' },
            p.consequences.map((c) => this.item(c, true)),
          )
        : null,
    );
  }

  private draw(): void {
    this.shown = mergeProblems(this.project, this.fatal, this.modules, this.runtime, this.sound, this.ctx);
    const errors = this.shown.filter((p) => p.severity === 'error');
    const warnings = this.shown.filter((p) => p.severity === 'warning');
    const fileErrors = this.fileErrors();
    replaceChildren(
      this.overlayList,
      fileErrors.map((p) => this.item(p)),
    );
    this.overlayFooter.textContent = 'Fix the file and save: the preview reloads and this panel clears. The terminal shows the same list.';
    this.overlay.hidden = fileErrors.length === 0 || this.overlayKey() === this.dismissedKey;
    replaceChildren(
      this.popoverList,
      this.shown.length ? this.shown.map((p) => this.item(p)) : h('li', { class: 'empty' }, 'No problems.'),
    );
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    this.badge.className = `problems-badge ${errors.length ? 'has-errors' : warnings.length ? 'has-warnings' : 'ok'}`;
    replaceChildren(
      this.badge,
      icon(errors.length ? ICONS.error : warnings.length ? ICONS.warn : ICONS.check, { size: 14 }),
      h(
        'span',
        {},
        errors.length || warnings.length
          ? [errors.length ? plural(errors.length, 'error') : null, warnings.length ? plural(warnings.length, 'warning') : null]
              .filter(Boolean)
              .join(' · ')
          : 'No problems',
      ),
    );
    this.badge.title = errors.length || warnings.length ? 'Show the problems' : 'No problems';
    this.onChange(this.shown);
  }
}
