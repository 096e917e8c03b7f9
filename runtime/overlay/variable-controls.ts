/**
 * One input per declared variable, by type: text (with its maxLength), number (slider when the
 * range is known, plus a field, with unit), colour (picker plus a field for any CSS notation),
 * checkbox, select for enums, font name (suggesting the families the composition loads), image
 * path or URL (with a preview). A control reports what the user typed, valid or not; the panel
 * decides what is applied.
 */
import type { VariableDeclaration } from '../../src/shared/variables';
import { h, icon, ICONS } from './dom';

export interface ControlContext {
  /** Font families the composition has loaded (for suggestions). */
  fonts(): string[];
  /** An image path as the composition document would resolve it. */
  resolveUrl(path: string): string;
}

export interface VariableControl {
  readonly el: HTMLElement;
  /** Shows `value`; `problem` marks it invalid; `changed` shows the reset button. */
  show(value: unknown, problem: string | null, changed: boolean): void;
}

/** A colour in any CSS notation as #rrggbb for the native picker (which knows only that). */
function toHex(color: string): string {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return '#000000';
  ctx.fillStyle = '#000000';
  ctx.fillStyle = color;
  const v = ctx.fillStyle;
  if (v.startsWith('#')) return v;
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(v);
  return m ? `#${[m[1], m[2], m[3]].map((n) => Number(n).toString(16).padStart(2, '0')).join('')}` : '#000000';
}

function textInput(value: string, onInput: (v: string) => void, attrs: Record<string, unknown> = {}): HTMLInputElement {
  const input = h('input', { type: 'text', spellcheck: false, autocomplete: 'off', ...attrs });
  input.value = value;
  input.addEventListener('input', () => onInput(input.value));
  return input;
}

/** Builds the control for `decl`. `onInput` gets the raw new value; `onReset` restores the default. */
export function createControl(decl: VariableDeclaration, ctx: ControlContext, onInput: (value: unknown) => void, onReset: () => void): VariableControl {
  const error = h('div', { class: 'var-error', role: 'alert' });
  const reset = h('button', { class: 'icon-button small var-reset', title: `Reset ${decl.label} to ${JSON.stringify(decl.default)}`, onclick: onReset }, icon(ICONS.reset, { size: 13 }));
  const field = h('div', { class: 'var-field' });
  const meta = h('span', { class: 'var-meta' });
  let update: (value: unknown) => void = () => {};

  switch (decl.type) {
    case 'string': {
      const input = textInput(String(decl.default), onInput, { placeholder: decl.placeholder });
      field.append(input);
      update = (v) => {
        const s = typeof v === 'string' ? v : JSON.stringify(v);
        if (input.value !== s) input.value = s;
        meta.textContent = decl.maxLength !== undefined ? `${s.length}/${decl.maxLength}` : '';
      };
      break;
    }
    case 'number': {
      const number = h('input', { type: 'number', step: decl.step ?? 'any', min: decl.min, max: decl.max });
      const hasRange = decl.min !== undefined && decl.max !== undefined;
      const slider = hasRange ? h('input', { type: 'range', min: decl.min, max: decl.max, step: decl.step ?? (decl.max! - decl.min!) / 100, 'aria-label': decl.label }) : null;
      const parse = (s: string): unknown => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
      number.addEventListener('input', () => onInput(parse(number.value)));
      slider?.addEventListener('input', () => onInput(Number(slider.value)));
      field.append(...(slider ? [slider] : []), number, ...(decl.unit ? [h('span', { class: 'unit' }, decl.unit)] : []));
      update = (v) => {
        const s = typeof v === 'number' ? String(v) : String(v ?? '');
        if (document.activeElement !== number && number.value !== s) number.value = s;
        if (slider && typeof v === 'number') slider.value = String(v);
      };
      break;
    }
    case 'color': {
      const picker = h('input', { type: 'color', 'aria-label': `${decl.label} colour` });
      const text = textInput(String(decl.default), onInput, { class: 'mono' });
      picker.addEventListener('input', () => onInput(picker.value));
      field.append(picker, text);
      update = (v) => {
        const s = String(v ?? '');
        if (text.value !== s && document.activeElement !== text) text.value = s;
        picker.value = toHex(s);
      };
      break;
    }
    case 'boolean': {
      const box = h('input', { type: 'checkbox', class: 'switch', 'aria-label': decl.label });
      box.addEventListener('change', () => onInput(box.checked));
      field.append(box);
      update = (v) => (box.checked = v === true);
      break;
    }
    case 'enum': {
      const select = h('select', { 'aria-label': decl.label }, (decl.options ?? []).map((o) => h('option', { value: o.value }, o.label)));
      select.addEventListener('change', () => (onInput(select.value), select.blur()));
      field.append(select);
      update = (v) => (select.value = String(v));
      break;
    }
    case 'font': {
      const listId = `fonts-${decl.id}`;
      const list = h('datalist', { id: listId });
      const input = textInput(String(decl.default), onInput, { list: listId });
      input.addEventListener('focus', () => list.replaceChildren(...ctx.fonts().map((f) => h('option', { value: f }))));
      field.append(input, list);
      update = (v) => {
        const s = String(v ?? '');
        if (input.value !== s) input.value = s;
        input.style.fontFamily = `"${s.replace(/"/g, '')}", system-ui`;
      };
      break;
    }
    case 'image': {
      const input = textInput(String(decl.default), onInput, { class: 'mono' });
      const img = h('img', { class: 'var-thumb', alt: '' });
      img.addEventListener('error', () => img.classList.add('broken'));
      img.addEventListener('load', () => img.classList.remove('broken'));
      field.append(img, input);
      update = (v) => {
        const s = String(v ?? '');
        if (input.value !== s) input.value = s;
        const src = s ? ctx.resolveUrl(s) : '';
        if (img.getAttribute('src') !== src) img.src = src;
      };
      break;
    }
  }

  const el = h(
    'div',
    { class: `var var-${decl.type}`, 'data-var': decl.id },
    h('div', { class: 'var-head' }, h('label', { class: 'var-label', title: decl.description }, decl.label), h('code', { class: 'var-id' }, decl.id), meta, reset),
    decl.description ? h('div', { class: 'var-desc' }, decl.description) : null,
    field,
    error,
  );
  const label = el.querySelector('label')!;
  const firstInput = field.querySelector('input, select');
  if (firstInput) {
    firstInput.id = `var-${decl.id}`;
    label.htmlFor = firstInput.id;
  }
  return {
    el,
    show(value, problem, changed) {
      update(value);
      el.classList.toggle('invalid', problem !== null);
      el.classList.toggle('changed', changed);
      error.textContent = problem ? `Not applied: ${problem}` : '';
      reset.hidden = !changed;
    },
  };
}
