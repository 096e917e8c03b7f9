/**
 * Composition variables: the declaration schema (`data-composition-variables`), its validation,
 * and the checking and merging of values. Used by the parser, the runtime, the dev panel and the
 * render commands, so they all agree on what a valid value is. Pure: no DOM, no Node imports.
 */
import { closest } from './suggest.js';

export type VariableType = 'string' | 'number' | 'color' | 'boolean' | 'enum' | 'font' | 'image';

export const VARIABLE_TYPES: readonly VariableType[] = ['string', 'number', 'color', 'boolean', 'enum', 'font', 'image'];

export interface EnumOption {
  value: string;
  label: string;
}

/** One entry of a `data-composition-variables` array, after validation. */
export interface VariableDeclaration {
  id: string;
  type: VariableType;
  label: string;
  default: string | number | boolean;
  description?: string;
  /** string */
  placeholder?: string;
  maxLength?: number;
  /** number */
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
  /** enum */
  options?: EnumOption[];
}

export type VariableValues = Record<string, unknown>;

/** A problem with one declaration, with the index of the entry in the array. */
export interface DeclarationProblem {
  index: number;
  id?: string;
  message: string;
}

const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates a parsed `data-composition-variables` value. Malformed entries are dropped (as the
 * official engine does) and reported, so a preview never uses a declaration the cloud ignores.
 */
export function validateDeclarations(raw: unknown): {
  declarations: VariableDeclaration[];
  problems: DeclarationProblem[];
} {
  const declarations: VariableDeclaration[] = [];
  const problems: DeclarationProblem[] = [];
  if (!Array.isArray(raw)) {
    problems.push({ index: -1, message: 'data-composition-variables must be a JSON array of declarations' });
    return { declarations, problems };
  }
  const seen = new Set<string>();
  raw.forEach((entry, index) => {
    const fail = (message: string, id?: string) => problems.push({ index, id, message });
    if (!isPlainObject(entry)) return fail(`entry ${index} is not an object`);
    const { id, type, label } = entry;
    if (typeof id !== 'string' || id === '') return fail(`entry ${index} has no "id"`);
    if (!ID_PATTERN.test(id)) return fail(`variable "${id}": id must be letters, digits, _ or - and not start with a digit`, id);
    if (seen.has(id)) return fail(`variable "${id}" is declared twice`, id);
    if (typeof type !== 'string' || !VARIABLE_TYPES.includes(type as VariableType)) {
      return fail(`variable "${id}": "type" must be one of ${VARIABLE_TYPES.join(', ')}`, id);
    }
    if (typeof label !== 'string' || label === '') return fail(`variable "${id}" has no "label"`, id);
    if (!('default' in entry)) return fail(`variable "${id}" has no "default"`, id);
    const decl: VariableDeclaration = { id, type: type as VariableType, label, default: entry.default as never };
    if (typeof entry.description === 'string') decl.description = entry.description;
    if (decl.type === 'string') {
      if (typeof entry.placeholder === 'string') decl.placeholder = entry.placeholder;
      if (entry.maxLength !== undefined) {
        if (typeof entry.maxLength !== 'number' || !Number.isInteger(entry.maxLength) || entry.maxLength < 0) {
          return fail(`variable "${id}": "maxLength" must be a non-negative integer`, id);
        }
        decl.maxLength = entry.maxLength;
      }
    }
    if (decl.type === 'number') {
      for (const key of ['min', 'max', 'step'] as const) {
        const v = entry[key];
        if (v === undefined) continue;
        if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`variable "${id}": "${key}" must be a number`, id);
        decl[key] = v;
      }
      if (decl.step !== undefined && decl.step <= 0) return fail(`variable "${id}": "step" must be above 0`, id);
      if (decl.min !== undefined && decl.max !== undefined && decl.min > decl.max) {
        return fail(`variable "${id}": "min" (${decl.min}) is above "max" (${decl.max})`, id);
      }
      if (typeof entry.unit === 'string') decl.unit = entry.unit;
    }
    if (decl.type === 'enum') {
      const options = entry.options;
      if (!Array.isArray(options) || options.length === 0) {
        return fail(`variable "${id}": an enum needs a non-empty "options" array of {value, label}`, id);
      }
      const parsed: EnumOption[] = [];
      for (const opt of options) {
        if (!isPlainObject(opt) || typeof opt.value !== 'string' || typeof opt.label !== 'string') {
          return fail(`variable "${id}": every option needs a string "value" and "label"`, id);
        }
        parsed.push({ value: opt.value, label: opt.label });
      }
      decl.options = parsed;
    }
    const defaultProblem = checkValue(decl, entry.default, { strictRange: false });
    if (defaultProblem) return fail(`variable "${id}": default ${defaultProblem}`, id);
    seen.add(id);
    declarations.push(decl);
  });
  return { declarations, problems };
}

const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
const FUNC_COLOR = /^(?:rgb|rgba|hsl|hsla|hwb|lab|lch|oklab|oklch|color)\(\s*[^()]*\)$/i;
const NAMED_COLOR = /^[a-zA-Z]+$/;

/** True for the colour notations a variable may hold: hex, functional notations, or a CSS keyword. */
export function isColorValue(v: string): boolean {
  const s = v.trim();
  return HEX_COLOR.test(s) || FUNC_COLOR.test(s) || NAMED_COLOR.test(s);
}

/**
 * Checks one value against its declaration. Returns null when acceptable, or what is wrong
 * (e.g. `must be a number, got "abc"`). `strictRange` also enforces min/max/maxLength.
 */
export function checkValue(
  decl: VariableDeclaration,
  value: unknown,
  { strictRange = true }: { strictRange?: boolean } = {},
): string | null {
  const shown = JSON.stringify(value);
  switch (decl.type) {
    case 'string':
    case 'font':
    case 'image':
      if (typeof value !== 'string') return `must be a string, got ${shown}`;
      if (strictRange && decl.maxLength !== undefined && value.length > decl.maxLength) {
        return `is ${value.length} characters, more than maxLength ${decl.maxLength}`;
      }
      return null;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number, got ${shown}`;
      if (strictRange && decl.min !== undefined && value < decl.min) return `is ${value}, below min ${decl.min}`;
      if (strictRange && decl.max !== undefined && value > decl.max) return `is ${value}, above max ${decl.max}`;
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false, got ${shown}`;
    case 'color':
      if (typeof value !== 'string') return `must be a colour string, got ${shown}`;
      return isColorValue(value) ? null : `is not a colour (use #rrggbb, rgb(), hsl() or a CSS name), got ${shown}`;
    case 'enum': {
      const allowed = (decl.options ?? []).map((o) => o.value);
      return typeof value === 'string' && allowed.includes(value)
        ? null
        : `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${shown}`;
    }
  }
}

/** A problem with a value given for a composition (`--variables`, the dev panel, data-variable-values). */
export interface ValueProblem {
  id: string;
  kind: 'undeclared' | 'invalid';
  message: string;
}

/** Checks a set of values against declarations: unknown ids and values of the wrong type or range. */
export function checkValues(declarations: VariableDeclaration[], values: VariableValues): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const byId = new Map(declarations.map((d) => [d.id, d]));
  for (const [id, value] of Object.entries(values)) {
    const decl = byId.get(id);
    if (!decl) {
      const ids = declarations.map((d) => d.id);
      const near = closest(id, ids);
      const known = ids.join(', ') || 'none';
      problems.push({
        id,
        kind: 'undeclared',
        message: `"${id}" is not a declared variable${near ? `; did you mean "${near}"?` : ''} (declared: ${known})`,
      });
      continue;
    }
    const problem = checkValue(decl, value);
    if (problem) problems.push({ id, kind: 'invalid', message: `"${id}" ${problem}` });
  }
  return problems;
}

/** Declared defaults with overrides on top; overrides for undeclared ids are kept (the engine keeps them). */
export function mergeVariables(declarations: VariableDeclaration[], ...layers: (VariableValues | undefined | null)[]): VariableValues {
  const out: VariableValues = {};
  for (const d of declarations) out[d.id] = d.default;
  for (const layer of layers) if (layer) Object.assign(out, layer);
  return out;
}
