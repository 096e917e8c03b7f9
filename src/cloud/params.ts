/**
 * The render parameters as data: one row per parameter with its flag, API field, rule and
 * description. `--help` (cloudRenderArgs), the validation below and docs/cloud.md's table
 * all come from this table, so a rule is written once.
 */
import type { ArgsDef } from 'citty';
import { FramesmithError } from '../core/errors.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { EXIT } from '../core/exit-codes.js';
import { isErrorCode } from '../core/error-catalog.js';
import {
  choiceProblem,
  formatResolutionProblem,
  fpsProblem,
  usageDiagnostic,
  usageError,
  type UsageProblem,
} from '../options/render-params.js';
import { ASPECT_RATIOS, FORMATS, QUALITIES, RESOLUTIONS, type CreateRenderRequest } from './types.js';

/** Parameter values as the library takes them (camelCase). */
export interface RenderParams {
  fps?: number;
  quality?: (typeof QUALITIES)[number];
  format?: (typeof FORMATS)[number];
  resolution?: (typeof RESOLUTIONS)[number];
  aspectRatio?: (typeof ASPECT_RATIOS)[number];
  composition?: string;
  title?: string;
  callbackId?: string;
  callbackUrl?: string;
  variables?: Record<string, unknown>;
}

export interface RenderParamDef {
  name: keyof RenderParams;
  flag: string;
  apiField: keyof CreateRenderRequest;
  kind: 'int' | 'enum' | 'string' | 'https-url';
  values?: readonly string[];
  min?: number;
  max?: number;
  maxLength?: number;
  /** The API's default, shown in help. */
  default?: string;
  valueHint?: string;
  description: string;
}

/** Every parameter of `POST /v3/hyperframes/renders` a user sets (the project is chosen separately). */
export const RENDER_PARAMS: readonly RenderParamDef[] = [
  {
    name: 'fps',
    flag: 'fps',
    apiField: 'fps',
    kind: 'int',
    min: 1,
    max: 240,
    default: '30',
    valueHint: 'n',
    description: 'Frames per second, a whole number 1–240',
  },
  {
    name: 'quality',
    flag: 'quality',
    apiField: 'quality',
    kind: 'enum',
    values: QUALITIES,
    default: 'standard',
    description: 'Encoding quality: draft, standard or high',
  },
  {
    name: 'format',
    flag: 'format',
    apiField: 'format',
    kind: 'enum',
    values: FORMATS,
    default: 'mp4',
    description: 'Container: mp4, webm or mov (webm/mov keep transparency)',
  },
  {
    name: 'resolution',
    flag: 'resolution',
    apiField: 'resolution',
    kind: 'enum',
    values: RESOLUTIONS,
    default: '1080p',
    description: '1080p or 4k (4k is billed 1.5x and needs --format mp4)',
  },
  {
    name: 'aspectRatio',
    flag: 'aspect-ratio',
    apiField: 'aspect_ratio',
    kind: 'enum',
    values: ASPECT_RATIOS,
    valueHint: 'ratio',
    description: "16:9, 9:16 or 1:1; taken from the composition's data-width/height when left out",
  },
  {
    name: 'composition',
    flag: 'composition',
    apiField: 'composition',
    kind: 'string',
    maxLength: 512,
    default: 'index.html',
    valueHint: 'file.html',
    description: 'Entry HTML path inside the zip',
  },
  {
    name: 'title',
    flag: 'title',
    apiField: 'title',
    kind: 'string',
    maxLength: 500,
    valueHint: 'text',
    description: 'Display name of the render, at most 500 characters',
  },
  {
    name: 'callbackId',
    flag: 'callback-id',
    apiField: 'callback_id',
    kind: 'string',
    maxLength: 256,
    valueHint: 'id',
    description: 'Your own correlation id, at most 256 characters, echoed in the webhook',
  },
  {
    name: 'callbackUrl',
    flag: 'callback-url',
    apiField: 'callback_url',
    kind: 'https-url',
    valueHint: 'https-url',
    description: 'HTTPS URL that receives a POST when the render ends',
  },
];

/**
 * Checks one value against its row; returns the problem or null. fps and the word flags are
 * checked by the same functions as a local render's (src/options/render-params.ts).
 */
export function paramProblem(def: RenderParamDef, value: unknown): UsageProblem | null {
  if (def.name === 'fps') return fpsProblem(value);
  if (def.kind === 'enum') return choiceProblem(def.flag, value, def.values!);
  const message = checkParam(def, value);
  return message ? { code: 'invalid_render_parameters', message: `${message}.`, hint: def.description } : null;
}

/** Checks one value against its row; returns what is wrong or null. */
export function checkParam(def: RenderParamDef, value: unknown): string | null {
  const shown = JSON.stringify(value);
  switch (def.kind) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= def.min! && value <= def.max!
        ? null
        : `--${def.flag} must be a whole number from ${def.min} to ${def.max}, got ${shown}`;
    case 'enum':
      return typeof value === 'string' && def.values!.includes(value)
        ? null
        : `--${def.flag} must be one of ${def.values!.join(', ')}, got ${shown}`;
    case 'string':
      if (typeof value !== 'string' || value === '') return `--${def.flag} must be a non-empty string`;
      return def.maxLength !== undefined && value.length > def.maxLength
        ? `--${def.flag} is ${value.length} characters; the limit is ${def.maxLength}`
        : null;
    case 'https-url': {
      let url: URL;
      try {
        url = new URL(String(value));
      } catch {
        return `--${def.flag} is not a URL: ${shown}`;
      }
      return url.protocol === 'https:' ? null : `--${def.flag} must be an https:// URL (HeyGen posts only to HTTPS), got ${shown}`;
    }
  }
}

/**
 * Validates every parameter and returns the API fields. All problems are reported together in
 * one `invalid_render_parameters` error (exit 2), each naming its flag.
 */
export function renderParamsToRequest(params: RenderParams): { fields: Omit<CreateRenderRequest, 'project'>; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const fields: Record<string, unknown> = {};
  for (const def of RENDER_PARAMS) {
    const value = params[def.name];
    if (value === undefined) continue;
    const problem = paramProblem(def, value);
    if (problem) problems.push(usageDiagnostic(problem));
    else fields[def.apiField] = value;
  }
  const combination = formatResolutionProblem(params.format, params.resolution);
  if (combination) problems.push(usageDiagnostic(combination));
  if (params.variables !== undefined) {
    if (typeof params.variables !== 'object' || params.variables === null || Array.isArray(params.variables)) {
      problems.push({
        severity: 'error',
        code: 'invalid_render_parameter',
        message: '--variables must be a JSON object',
        hint: 'e.g. --variables \'{"headline":"Hi"}\'',
      });
    } else fields.variables = params.variables;
  }
  return { fields: fields as Omit<CreateRenderRequest, 'project'>, problems };
}

/** Throws one error listing every problem, or does nothing when there are none. */
export function throwIfProblems(problems: Diagnostic[], what = 'render parameters'): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (!errors.length) return;
  // One mistake gets the answer a local render gives it (same code, message and hint).
  if (errors.length === 1 && isErrorCode(errors[0].code))
    throw usageError({ code: errors[0].code, message: `${errors[0].message}.`, hint: errors[0].hint ?? '' });
  throw new FramesmithError(
    'invalid_render_parameters',
    errors.length === 1 ? errors[0].message + '.' : `${errors.length} ${what} are invalid.`,
    {
      hint: errors.length === 1 ? errors[0].hint : 'Fix the flags listed above; nothing was uploaded.',
      details: errors.length === 1 ? [] : errors,
      exitCode: EXIT.usage,
    },
  );
}

/** citty definitions of the parameter flags, generated from RENDER_PARAMS. */
export function renderParamArgs(): ArgsDef {
  const out: ArgsDef = {};
  for (const def of RENDER_PARAMS) {
    const values = def.values ? ` (${def.values.join('|')})` : '';
    const dflt = def.default ? ` [default ${def.default}]` : '';
    out[def.flag] = {
      type: 'string',
      valueHint: def.valueHint ?? def.values?.join('|'),
      description: `${def.description}${def.values ? '' : values}${dflt}`,
    };
  }
  return out;
}

/** Reads a flag string into the typed value of its row (numbers parsed; the check comes later). */
export function parseParamFlag(def: RenderParamDef, raw: string): unknown {
  if (def.kind === 'int') return /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  return raw;
}
