/**
 * The variables panel: a control per declaration of the entry's `data-composition-variables`,
 * the values the user changed kept in the URL, each checked with the same `checkValue` the
 * render commands use. Invalid values are shown as such and not applied; valid changes reload
 * the preview with the new values (debounced while typing). Reset one or all, copy the values as
 * JSON, copy a ready `framesmith render` command.
 */
import { checkValue, type VariableDeclaration, type VariableValues } from '../shared/variables';
import { copyText, shellQuote } from './clipboard';
import { h, icon, ICONS, replaceChildren } from './dom';
import { createControl, isJsonVariable, jsonProblem, type ControlContext, type VariableControl } from './variable-controls';

export interface VariablesPanelOptions extends ControlContext {
  /** Values as typed (from the URL). */
  initial: VariableValues;
  /** The valid changed values changed: reload the preview with them (`changed`: the ids edited since the last apply). */
  apply(values: VariableValues, changed: string[]): void;
  /** The typed values changed: keep them in the URL. */
  persist(values: VariableValues): void;
  /** `framesmith render <dir> [--composition f]` prefix. */
  renderCommand(): string;
  toast(message: string): void;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Why a value is not applied: the shared check, and for a JSON variable, that it parses. */
export function problemOf(decl: VariableDeclaration, value: unknown): string | null {
  const base = checkValue(decl, value);
  if (base !== null) return base;
  return isJsonVariable(decl) && typeof value === 'string' ? jsonProblem(value) : null;
}

export class VariablesPanel {
  readonly el: HTMLElement;
  private readonly list = h('div', { class: 'var-list' });
  private readonly note = h('div', { class: 'panel-note' });
  private declarations: VariableDeclaration[] = [];
  private controls = new Map<string, VariableControl>();
  private typed: VariableValues;
  /** The last valid value typed for each variable: what stays applied while the field holds an invalid one. */
  private lastGood: VariableValues = {};
  private appliedKey = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private edited = new Set<string>();

  constructor(private readonly options: VariablesPanelOptions) {
    this.typed = { ...options.initial };
    const action = (label: string, path: string, onclick: () => void) =>
      h('button', { class: 'text-button with-icon', onclick }, icon(path, { size: 13 }), label);
    this.el = h(
      'section',
      { class: 'panel variables', 'aria-label': 'Variables' },
      h(
        'header',
        {},
        h('h2', {}, 'Variables'),
        h(
          'div',
          { class: 'panel-actions' },
          action('Reset all', ICONS.reset, () => this.resetAll()),
        ),
      ),
      this.list,
      this.note,
      h(
        'div',
        { class: 'panel-footer' },
        action('Copy JSON', ICONS.copy, () => this.copyJson()),
        action('Copy render command', ICONS.copy, () => this.copyCommand()),
      ),
    );
  }

  /** The values applied to the preview: typed changes that are valid (else the last valid one typed). */
  applied(): VariableValues {
    const out: VariableValues = {};
    for (const d of this.declarations) {
      if (d.id in this.typed && problemOf(d, this.typed[d.id]) === null) out[d.id] = this.typed[d.id];
      else if (d.id in this.typed && d.id in this.lastGood) out[d.id] = this.lastGood[d.id];
    }
    return out;
  }

  /** New declarations (first load, or the file changed). Typed values are kept. */
  setDeclarations(declarations: VariableDeclaration[]): void {
    const before = JSON.stringify(this.declarations);
    if (before === JSON.stringify(declarations)) return;
    this.declarations = declarations;
    this.controls.clear();
    const items = declarations.map((d) => {
      const control = createControl(
        d,
        this.options,
        (v) => this.input(d, v),
        () => this.reset(d.id),
      );
      this.controls.set(d.id, control);
      return control.el;
    });
    replaceChildren(
      this.list,
      items.length ? items : h('p', { class: 'empty' }, 'This composition declares no variables (data-composition-variables on <html>).'),
    );
    this.appliedKey = JSON.stringify(this.applied());
    this.draw();
  }

  /**
   * Shows `values` (a dataset row) as if typed: the declared ids that differ from their default;
   * every other variable goes back to its default. Invalid values show as such, as when typed.
   */
  load(values: VariableValues): void {
    this.typed = {};
    this.lastGood = {};
    for (const d of this.declarations) {
      if (!(d.id in values) || same(values[d.id], d.default)) continue;
      this.typed[d.id] = values[d.id];
      if (checkValue(d, values[d.id]) === null) this.lastGood[d.id] = values[d.id];
    }
    this.changed(0);
  }

  private input(decl: VariableDeclaration, value: unknown): void {
    if (same(value, decl.default)) delete this.typed[decl.id];
    else this.typed[decl.id] = value;
    if (problemOf(decl, value) === null) this.lastGood[decl.id] = value;
    this.edited.add(decl.id);
    this.changed(decl.type === 'string' || decl.type === 'font' || decl.type === 'image' || decl.type === 'number' ? 250 : 60);
  }

  private reset(id: string): void {
    this.edited.add(id);
    delete this.typed[id];
    delete this.lastGood[id];
    this.changed(0);
  }

  private resetAll(): void {
    for (const id of Object.keys(this.typed)) this.edited.add(id);
    this.typed = {};
    this.lastGood = {};
    this.changed(0);
  }

  private changed(delay: number): void {
    this.options.persist({ ...this.typed });
    this.draw();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const applied = this.applied();
      const key = JSON.stringify(applied);
      if (key === this.appliedKey) return;
      this.appliedKey = key;
      const changed = [...this.edited];
      this.edited.clear();
      this.options.apply(applied, changed);
    }, delay);
  }

  private draw(): void {
    for (const d of this.declarations) {
      const has = d.id in this.typed;
      const value = has ? this.typed[d.id] : d.default;
      this.controls.get(d.id)?.show(value, has ? problemOf(d, value) : null, has);
    }
    const unknown = Object.keys(this.typed).filter((id) => !this.declarations.some((d) => d.id === id));
    this.note.textContent = unknown.length ? `Not applied, not declared: ${unknown.join(', ')}` : '';
    this.el.classList.toggle('has-changes', Object.keys(this.typed).length > 0);
  }

  get declared(): VariableDeclaration[] {
    return this.declarations;
  }

  /** The value applied to the preview for `id` (the default when unchanged). */
  valueOf(id: string): unknown {
    const d = this.declarations.find((x) => x.id === id);
    const applied = this.applied();
    return id in applied ? applied[id] : d?.default;
  }

  /** Marks fields whose applied value makes the page fail (id → message); others are cleared. */
  markRuntime(marks: Map<string, string>): void {
    for (const [id, control] of this.controls) control.markRuntime(marks.get(id) ?? null);
  }

  /** Shows a variable's field (from a problem that names it). */
  focusVariable(id: string): void {
    this.controls.get(id)?.focus();
  }

  private async copyJson(): Promise<void> {
    const values: VariableValues = {};
    for (const d of this.declarations) values[d.id] = d.default;
    Object.assign(values, this.applied());
    const ok = await copyText(JSON.stringify(values, null, 2));
    this.options.toast(ok ? 'Copied the variable values as JSON' : 'Could not copy to the clipboard');
  }

  private async copyCommand(): Promise<void> {
    const applied = this.applied();
    const command = `${this.options.renderCommand()}${Object.keys(applied).length ? ` --variables ${shellQuote(JSON.stringify(applied))}` : ''}`;
    const ok = await copyText(command);
    this.options.toast(
      ok
        ? 'Copied: ' + (command.length > 300 ? `${command.slice(0, 300)}… (${command.length} characters)` : command)
        : 'Could not copy to the clipboard',
    );
  }
}
