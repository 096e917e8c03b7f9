/**
 * One input per declared variable, by type: text (with its maxLength), number (slider when the
 * range is known, plus a field, with unit), colour (picker plus a field for any CSS notation),
 * checkbox, select for enums, font name (suggesting the families the composition loads), image
 * path or URL (with a preview). A control reports what the user typed, valid or not; the panel
 * decides what is applied.
 */
import type { VariableDeclaration } from '../shared/variables';
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
  /** Marks the field with what the page does wrong with its (applied) value, or clears the mark. */
  markRuntime(message: string | null): void;
  /** Brings the field into view and focuses it. */
  focus(): void;
}

/**
 * A JSON variable: a string whose default is a JSON object or array (the data a script parses).
 * It gets a multi-line editor and its value must parse before it is applied.
 */
export function isJsonVariable(decl: VariableDeclaration): boolean {
  if (decl.type !== 'string' || typeof decl.default !== 'string') return false;
  const t = decl.default.trim();
  if (!/^[[{]/.test(t)) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/** Why `text` is not JSON, with its line and column; null when it parses. */
export function jsonProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    // "Unexpected end of JSON input" says no position: it is the end.
    const at = pos ? Number(pos[1]) : /end of (JSON|data)/i.test(message) ? text.length : null;
    let where = '';
    if (at !== null && !/line \d+/.test(message)) {
      const before = text.slice(0, at);
      const line = before.split('\n').length;
      where = ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
    }
    return `not valid JSON: ${message.replace(/^JSON\.parse: /, '')}${where}`;
  }
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
export function createControl(
  decl: VariableDeclaration,
  ctx: ControlContext,
  onInput: (value: unknown) => void,
  onReset: () => void,
  idPrefix = 'var-',
): VariableControl {
  const error = h('div', { class: 'var-error', role: 'alert' });
  const reset = h(
    'button',
    { class: 'icon-button small var-reset', title: `Reset ${decl.label} to ${JSON.stringify(decl.default)}`, onclick: onReset },
    icon(ICONS.reset, { size: 13 }),
  );
  const field = h('div', { class: 'var-field' });
  const meta = h('span', { class: 'var-meta' });
  let update: (value: unknown) => void = () => {};

  const json = isJsonVariable(decl);
  switch (json ? 'json' : decl.type) {
    case 'json': {
      const area = h('textarea', {
        class: 'json-editor mono',
        spellcheck: false,
        autocomplete: 'off',
        rows: 4,
        'aria-label': decl.label,
        wrap: 'off',
      });
      const grow = () => (area.rows = Math.max(3, Math.min(14, area.value.split('\n').length + 1)));
      area.addEventListener('input', () => (grow(), onInput(area.value)));
      // Tab indents inside the editor instead of leaving it.
      area.addEventListener('keydown', (e) => {
        if (e.key === 'Tab' && !e.shiftKey) {
          e.preventDefault();
          area.setRangeText('  ', area.selectionStart, area.selectionEnd, 'end');
          area.dispatchEvent(new Event('input'));
        }
      });
      const format = h(
        'button',
        {
          class: 'text-button small',
          title: 'Format the JSON (indent it)',
          onclick: () => {
            try {
              area.value = JSON.stringify(JSON.parse(area.value), null, 2);
              grow();
              onInput(area.value);
            } catch {
              area.focus();
            }
          },
        },
        'Format',
      );
      field.classList.add('column');
      field.append(area, h('div', { class: 'json-tools' }, format));
      let first = true;
      update = (v) => {
        const s = typeof v === 'string' ? v : JSON.stringify(v);
        if (document.activeElement !== area && area.value !== s) {
          // Shown indented the first time (a one-line default is hard to edit).
          area.value = first && !s.includes('\n') && jsonProblem(s) === null ? JSON.stringify(JSON.parse(s), null, 2) : s;
          grow();
        }
        first = false;
        meta.textContent = 'JSON';
      };
      break;
    }
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
      const slider = hasRange
        ? h('input', {
            type: 'range',
            min: decl.min,
            max: decl.max,
            step: decl.step ?? (decl.max! - decl.min!) / 100,
            'aria-label': decl.label,
          })
        : null;
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
      const select = h(
        'select',
        { 'aria-label': decl.label },
        (decl.options ?? []).map((o) => h('option', { value: o.value }, o.label)),
      );
      select.addEventListener('change', () => (onInput(select.value), select.blur()));
      field.append(select);
      update = (v) => (select.value = String(v));
      break;
    }
    case 'font': {
      const listId = `${idPrefix}fonts-${decl.id}`;
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

  const runtime = h('div', { class: 'var-runtime', role: 'alert' });
  const el = h(
    'div',
    { class: `var var-${decl.type}${json ? ' var-json' : ''}`, 'data-var': decl.id },
    h(
      'div',
      { class: 'var-head' },
      h('label', { class: 'var-label', title: decl.description }, decl.label),
      h('code', { class: 'var-id' }, decl.id),
      meta,
      reset,
    ),
    decl.description ? h('div', { class: 'var-desc' }, decl.description) : null,
    field,
    error,
    runtime,
  );
  const label = el.querySelector('label')!;
  const firstInput = field.querySelector<HTMLElement>('input, select, textarea');
  if (firstInput) {
    firstInput.id = `${idPrefix}${decl.id}`;
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
    markRuntime(message) {
      runtime.textContent = message ?? '';
      el.classList.toggle('fails', message !== null);
    },
    focus() {
      el.scrollIntoView({ block: 'nearest' });
      firstInput?.focus();
      el.classList.remove('flash');
      void el.offsetWidth;
      el.classList.add('flash');
    },
  };
}
