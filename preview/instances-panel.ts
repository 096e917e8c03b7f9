/**
 * The sub-composition instances of the entry, at every depth: which file each host mounts, when
 * it plays, and the values it passes (`data-variable-values`). Each value the child declares can
 * be edited here (same controls and checks as the variables panel): the preview reloads with the
 * new values for that instance only, without touching the file; "Copy attribute" copies the
 * `data-variable-values='…'` to paste into the host element. Clicking an instance's name jumps to
 * its start.
 */
import { instanceKey } from '../shared/live';
import type { CompositionModel, SubCompositionInstance } from '../shared/model';
import type { VariableValues } from '../shared/variables';
import { copyText } from './clipboard';
import { h, icon, ICONS, replaceChildren } from './dom';
import { createControl, type ControlContext, type VariableControl } from './variable-controls';
import { problemOf } from './variables-panel';

export interface InstancesPanelOptions extends ControlContext {
  jump(seconds: number): void;
  /** Edited values per instance key, as typed (from the URL). */
  initial: Record<string, VariableValues>;
  /** The valid values changed: reload with them (full data-variable-values per edited instance). */
  apply(values: Record<string, VariableValues>): void;
  /** The typed values changed: keep them in the URL. */
  persist(values: Record<string, VariableValues>): void;
  toast(message: string): void;
}

interface Row {
  key: string;
  inst: SubCompositionInstance;
  depth: number;
  start: number;
  end: number | null;
}

/** `data-variable-values='…'` for an HTML attribute in single quotes. */
export function attributeText(values: VariableValues): string {
  return `data-variable-values='${JSON.stringify(values).replace(/&/g, '&amp;').replace(/'/g, '&#39;')}'`;
}

function flatten(comp: CompositionModel | null): Row[] {
  const rows: Row[] = [];
  const walk = (c: CompositionModel, parent: string, offset: number, depth: number) => {
    if (depth > 16) return;
    const seen = new Map<string, number>();
    for (const inst of c.subCompositions) {
      const n = seen.get(inst.compositionId) ?? 0;
      seen.set(inst.compositionId, n + 1);
      const k = instanceKey(inst.hostId, inst.compositionId, n);
      const key = parent ? `${parent}/${k}` : k;
      rows.push({ key, inst, depth, start: offset + inst.start, end: inst.end === null ? null : offset + inst.end });
      if (inst.composition) walk(inst.composition, key, offset + inst.start - inst.playbackStart, depth + 1);
    }
  };
  if (comp) walk(comp, '', 0, 0);
  return rows;
}

export class InstancesPanel {
  readonly el: HTMLElement;
  private readonly list = h('div', { class: 'instance-list' });
  private typed: Record<string, VariableValues>;
  private rows: Row[] = [];
  private controls = new Map<string, Map<string, VariableControl>>();
  private readonly summaries = new Map<string, Element>();
  private readonly open = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private appliedKey = '';
  private lastShape = '';

  constructor(private readonly options: InstancesPanelOptions) {
    this.typed = structuredClone(options.initial);
    for (const k of Object.keys(this.typed)) this.open.add(k);
    this.el = h(
      'section',
      { class: 'panel instances', 'aria-label': 'Sub-compositions' },
      h('header', {}, h('h2', {}, 'Sub-compositions')),
      this.list,
    );
  }

  /** The values to boot with: for each edited instance, its full data-variable-values. */
  applied(): Record<string, VariableValues> {
    const out: Record<string, VariableValues> = {};
    for (const row of this.rows) {
      const edits = this.typed[row.key];
      if (!edits || !Object.keys(edits).length) continue;
      const decls = row.inst.composition?.variables ?? [];
      const merged: VariableValues = { ...row.inst.variableValues };
      for (const [id, v] of Object.entries(edits)) {
        const d = decls.find((x) => x.id === id);
        if (d && problemOf(d, v) === null) merged[id] = v;
      }
      if (JSON.stringify(merged) !== JSON.stringify(row.inst.variableValues)) out[row.key] = merged;
    }
    return out;
  }

  set(comp: CompositionModel | null): void {
    this.rows = flatten(comp);
    this.el.hidden = this.rows.length === 0;
    const shape = JSON.stringify(
      this.rows.map((r) => [r.key, r.inst.src, r.start, r.end, r.inst.variableValues, r.inst.composition?.variables]),
    );
    if (shape === this.lastShape) return;
    this.lastShape = shape;
    this.controls.clear();
    replaceChildren(
      this.list,
      this.rows.map((row) => this.card(row)),
    );
    this.appliedKey = JSON.stringify(this.applied());
  }

  private card(row: Row): HTMLElement {
    const { inst } = row;
    const span = `${row.start.toFixed(2)}s → ${row.end === null ? 'end' : `${row.end.toFixed(2)}s`}`;
    const decls = inst.composition?.variables ?? [];
    const body = h('div', { class: 'instance-body' });
    const controls = new Map<string, VariableControl>();
    this.controls.set(row.key, controls);
    for (const d of decls) {
      const control = createControl(
        { ...d },
        this.options,
        (v) => this.input(row, d.id, v),
        () => this.reset(row, d.id),
        `inst-${row.key.replace(/[^A-Za-z0-9_-]/g, '_')}-`,
      );
      controls.set(d.id, control);
      body.append(control.el);
    }
    const undeclared = Object.keys(inst.variableValues).filter((k) => !decls.some((d) => d.id === k));
    if (undeclared.length) {
      body.append(
        h(
          'dl',
          { class: 'instance-values' },
          undeclared.flatMap((k) => [h('dt', {}, k), h('dd', {}, JSON.stringify(inst.variableValues[k]))]),
        ),
        h(
          'div',
          { class: 'instance-none' },
          `${inst.composition ? inst.src : 'The child'} does not declare ${undeclared.join(', ')}: ${undeclared.length > 1 ? 'they are' : 'it is'} passed but unused.`,
        ),
      );
    }
    if (!decls.length && !undeclared.length)
      body.append(
        h('div', { class: 'instance-none' }, inst.composition ? `${inst.src} declares no variables.` : `${inst.src} could not be read.`),
      );
    const copy = h(
      'button',
      {
        class: 'text-button with-icon',
        title: "Copy data-variable-values='…' with these values, to paste into the host element",
        onclick: () => void this.copyAttribute(row),
      },
      icon(ICONS.copy, { size: 13 }),
      'Copy attribute',
    );
    const details = h(
      'div',
      { class: 'instance-details', hidden: !this.open.has(row.key) },
      body,
      h('div', { class: 'panel-footer' }, copy),
    );
    const toggle = h(
      'button',
      {
        class: 'icon-button small instance-toggle',
        title: 'Edit the values',
        'aria-label': `Edit the values of ${inst.hostId ? `#${inst.hostId}` : inst.compositionId}`,
        'aria-expanded': String(this.open.has(row.key)),
      },
      icon(ICONS.chevron, { size: 12 }),
    );
    toggle.addEventListener('click', () => {
      const now = details.hidden;
      details.hidden = !now;
      toggle.setAttribute('aria-expanded', String(now));
      if (now) this.open.add(row.key);
      else this.open.delete(row.key);
    });
    const el = h(
      'div',
      { class: 'instance', 'data-key': row.key, style: { marginLeft: `${row.depth * 12}px` } },
      h(
        'div',
        { class: 'instance-head' },
        toggle,
        h(
          'button',
          { class: 'instance-name', title: `Jump to ${row.start.toFixed(2)}s`, onclick: () => this.options.jump(row.start) },
          inst.hostId ? `#${inst.hostId}` : inst.compositionId,
        ),
        h('span', { class: 'instance-time' }, span),
      ),
      h('div', { class: 'instance-src' }, inst.src, inst.composition ? '' : ' (not loaded)'),
      h('div', { class: 'instance-summary' }),
      details,
    );
    this.summaries.set(row.key, el.querySelector('.instance-summary')!);
    this.drawRow(row);
    return el;
  }

  private input(row: Row, id: string, value: unknown): void {
    const edits = (this.typed[row.key] ??= {});
    if (
      JSON.stringify(value) ===
      JSON.stringify(row.inst.variableValues[id] ?? row.inst.composition?.variables.find((d) => d.id === id)?.default)
    )
      delete edits[id];
    else edits[id] = value;
    if (!Object.keys(edits).length) delete this.typed[row.key];
    this.changed(row, 250);
  }

  private reset(row: Row, id: string): void {
    delete this.typed[row.key]?.[id];
    if (this.typed[row.key] && !Object.keys(this.typed[row.key]).length) delete this.typed[row.key];
    this.changed(row, 0);
  }

  private changed(row: Row, delay: number): void {
    this.options.persist(structuredClone(this.typed));
    this.drawRow(row);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const applied = this.applied();
      const key = JSON.stringify(applied);
      if (key === this.appliedKey) return;
      this.appliedKey = key;
      this.options.apply(applied);
    }, delay);
  }

  private drawRow(row: Row): void {
    const controls = this.controls.get(row.key);
    if (!controls) return;
    const edits = this.typed[row.key] ?? {};
    const values = { ...row.inst.variableValues, ...edits };
    const summary = this.summaries.get(row.key);
    if (summary) {
      const entries = Object.entries(values);
      replaceChildren(
        summary,
        entries.length
          ? entries.flatMap(([k, v], i) => [
              i ? ' · ' : '',
              h(
                'span',
                { class: k in edits ? 'edited' : '' },
                `${k}: ${typeof v === 'string' ? (v.length > 60 ? `${v.slice(0, 60)}…` : v) : JSON.stringify(v)}`,
              ),
            ])
          : 'no data-variable-values',
      );
    }
    for (const d of row.inst.composition?.variables ?? []) {
      const has = d.id in edits;
      const value = has ? edits[d.id] : (row.inst.variableValues[d.id] ?? d.default);
      controls.get(d.id)?.show(value, has ? problemOf(d, value) : null, has);
    }
  }

  private async copyAttribute(row: Row): Promise<void> {
    const values = this.applied()[row.key] ?? row.inst.variableValues;
    const text = attributeText(values);
    const ok = await copyText(text);
    this.options.toast(ok ? `Copied: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}` : 'Could not copy to the clipboard');
  }
}
