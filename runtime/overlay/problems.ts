/**
 * The preview's problems: parser and lint findings from the server, errors raised by the page
 * (from the iframe's runtime) and module build errors from Vite. Errors cover the preview in a
 * panel (message, hint, file:line, code) that clears when the file is fixed; warnings are listed
 * in the side panel only.
 */
import { problemSeverity, type RuntimeProblem } from '../../src/shared/control';
import type { Diagnostic, ProblemData } from '../../src/shared/diagnostics';
import { h, icon, ICONS, replaceChildren } from './dom';

export interface ShownProblem extends ProblemData {
  severity: Diagnostic['severity'];
  /** Where it comes from, as shown: `lint`, `page`, `module`, `project`. */
  source: string;
  time?: number;
}

const where = (p: ProblemData) => (p.loc ? (p.loc.line > 0 ? `${p.loc.file}:${p.loc.line}:${p.loc.column}` : p.loc.file) : '');

function item(p: ShownProblem): HTMLElement {
  return h(
    'li',
    { class: `problem ${p.severity}` },
    h('div', { class: 'problem-head' }, h('span', { class: 'problem-source' }, p.source), where(p) ? h('code', { class: 'problem-loc' }, where(p)) : null, h('code', { class: 'problem-code' }, p.code)),
    h('div', { class: 'problem-message' }, p.message, p.time !== undefined ? h('span', { class: 'problem-time' }, ` at ${p.time.toFixed(2)}s`) : null),
    p.hint ? h('div', { class: 'problem-hint' }, p.hint) : null,
  );
}

export class Problems {
  /** Over the stage. */
  readonly overlay: HTMLElement;
  /** In the side panel. */
  readonly panel: HTMLElement;
  private readonly overlayList = h('ul', { class: 'problem-list' });
  private readonly panelList = h('ul', { class: 'problem-list compact' });
  private readonly count = h('span', { class: 'count' });
  private project: ShownProblem[] = [];
  private runtime: ShownProblem[] = [];
  private modules: ShownProblem[] = [];
  private dismissedKey = '';
  onChange: (errors: number, warnings: number) => void = () => {};

  constructor() {
    this.overlay = h(
      'div',
      { class: 'error-overlay', role: 'alertdialog', 'aria-label': 'Errors', hidden: true },
      h(
        'div',
        { class: 'error-card' },
        h('header', {}, icon(ICONS.warn, { size: 18 }), h('h2', {}, 'The composition has errors'), h('button', { class: 'icon-button', title: 'Hide until the next change (Esc)', onclick: () => this.dismiss() }, icon(ICONS.close))),
        this.overlayList,
        h('footer', {}, 'Fix the file and save: the preview reloads and this panel clears. The terminal shows the same list.'),
      ),
    );
    this.panel = h('section', { class: 'panel problems', 'aria-label': 'Problems' }, h('header', {}, h('h2', {}, 'Problems ', this.count)), this.panelList);
  }

  /** Parser and lint findings (or the project's fatal error). */
  setProject(problems: Diagnostic[], fatal: ProblemData | null): void {
    this.project = fatal ? [{ ...fatal, severity: 'error', source: 'project' }] : problems.filter((p) => p.severity !== 'info').map((p) => ({ ...p, source: 'lint' }));
    this.draw();
  }

  /** The current document's runtime problems, as errors or warnings (see problemSeverity). */
  setRuntime(problems: RuntimeProblem[]): void {
    this.runtime = problems.map((p) => ({ ...p, severity: problemSeverity(p), source: p.kind === 'asset' ? 'asset' : 'page' }));
    this.draw();
  }

  /** A module build error (kept until the next reload clears it). */
  addModule(problem: ProblemData): void {
    this.modules.push({ ...problem, severity: 'error', source: 'module' });
    this.draw();
  }

  clearModules(): void {
    this.modules = [];
  }

  dismiss(): void {
    this.dismissedKey = this.key();
    this.overlay.hidden = true;
  }

  private all(): ShownProblem[] {
    // The page's runtime reports some model problems too (no size on the root): show those once,
    // with the server's file:line.
    const key = (p: ShownProblem) => `${p.code}\n${p.loc?.file ?? ''}`;
    const known = new Set(this.project.filter((p) => (p.loc?.line ?? 0) > 0).map(key));
    return [...this.project, ...this.modules, ...this.runtime.filter((p) => (p.loc?.line ?? 0) > 0 || !known.has(key(p)))];
  }

  private key(): string {
    return JSON.stringify(this.all().filter((p) => p.severity === 'error').map((p) => [p.code, p.message, where(p)]));
  }

  private draw(): void {
    const all = this.all();
    const errors = all.filter((p) => p.severity === 'error');
    const warnings = all.filter((p) => p.severity === 'warning');
    replaceChildren(this.overlayList, errors.map(item));
    const key = this.key();
    this.overlay.hidden = errors.length === 0 || key === this.dismissedKey;
    replaceChildren(this.panelList, all.length ? all.map(item) : h('li', { class: 'empty' }, 'No problems.'));
    this.count.textContent = all.length ? `${errors.length ? `${errors.length} error${errors.length > 1 ? 's' : ''}` : ''}${errors.length && warnings.length ? ' · ' : ''}${warnings.length ? `${warnings.length} warning${warnings.length > 1 ? 's' : ''}` : ''}` : '';
    this.panel.classList.toggle('has-errors', errors.length > 0);
    this.onChange(errors.length, warnings.length);
  }
}
