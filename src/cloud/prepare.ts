/**
 * Everything `runCloudRender` checks before a byte leaves the machine: one project source, every
 * parameter, the wait settings, and (once the zip is known) the aspect ratio and the variables.
 * All problems are collected and reported together.
 */
import { FramesmithError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import type { VariableValues } from '../../shared/variables.js';
import { checkRenderVariables } from '../options/batch-rows.js';
import { checkIdempotencyKey } from './client.js';
import { EXIT } from '../core/exit-codes.js';
import { renderParamsToRequest, throwIfProblems, type RenderParams } from './params.js';
import { resolveAspectRatio, type ProjectInfo } from './project-info.js';
import { formatFromPath } from '../render/output-path.js';
import { outputExtensionProblem } from '../options/output-extension.js';
import { usageDiagnostic } from '../options/render-params.js';
import type { CreateRenderRequest } from './types.js';

export interface SourceChoice {
  zip?: unknown;
  assetId?: string;
  url?: string;
}

/** Checks what can be checked without the zip: source, parameters, key format, wait settings. */
export function checkStatic(
  o: SourceChoice & {
    params?: RenderParams;
    idempotencyKey?: string;
    pollInterval?: number;
    timeout?: number;
    batch?: { rows?: VariableValues[]; file?: string; namePattern?: string };
    outPath?: string;
  },
): Omit<CreateRenderRequest, 'project'> {
  const given = [o.zip !== undefined && 'a zip', o.assetId !== undefined && '--asset-id', o.url !== undefined && '--url'].filter(Boolean);
  if (given.length !== 1) {
    throw new FramesmithError(
      'invalid_project_source',
      given.length
        ? `Give one project source, not ${given.join(' and ')}.`
        : 'No project to render: give a project folder or zip, --asset-id or --url.',
      {
        hint: 'Use a project folder (built for you), --asset-id of an uploaded zip, or --url of a public https zip.',
        exitCode: EXIT.usage,
      },
    );
  }
  const { fields, problems } = renderParamsToRequest(o.params ?? {});
  const err = (message: string, hint: string) => problems.push({ severity: 'error', code: 'invalid_render_parameter', message, hint });
  if (o.url !== undefined) {
    let ok: boolean;
    try {
      ok = new URL(o.url).protocol === 'https:';
    } catch {
      ok = false;
    }
    if (!ok)
      err(
        `--url must be a public https:// URL of a zip, got "${o.url}"`,
        'Upload the zip somewhere public over HTTPS, or render the folder directly.',
      );
  }
  if (o.assetId !== undefined && !/^[\w.:-]{1,255}$/.test(o.assetId))
    err(`--asset-id "${o.assetId}" is not an asset id`, 'Use the asset_id printed by an upload.');
  if (o.pollInterval !== undefined && !(o.pollInterval >= 0))
    err(`--poll-interval must not be negative`, 'The official client polls every 10 s.');
  if (o.timeout !== undefined && !(o.timeout > 0)) err(`--timeout must be above 0`, 'Give minutes, e.g. --timeout 30.');
  if (o.batch) {
    if (o.batch.rows ? !o.batch.rows.length : !o.batch.file)
      err('the batch has no rows', 'Give a .json or .csv file with at least one row of variables.');
    if (o.outPath) err('-o cannot name the outputs of a batch', 'Use --name-pattern, e.g. "renders/{headline}.mp4".');
  }
  // As in a local render, -o's extension picks the format, and one that contradicts --format is refused.
  const mismatch = outputExtensionProblem(o.outPath, fields.format);
  if (mismatch) problems.push(usageDiagnostic(mismatch));
  const byExtension = formatFromPath(o.outPath);
  throwIfProblems(problems);
  if (byExtension && !fields.format) fields.format = byExtension;
  if (o.idempotencyKey !== undefined) checkIdempotencyKey(o.idempotencyKey);
  return fields;
}

/**
 * Checks what needs the project: the aspect ratio against data-width/height, and every set of
 * variable values against the declarations (warnings, or errors with `strict`). Returns the
 * aspect ratio to send.
 */
export function checkAgainstProject(
  info: ProjectInfo | null,
  fields: Omit<CreateRenderRequest, 'project'>,
  variableSets: { label: string; values: VariableValues | undefined }[],
  strict: boolean,
  logger: Logger,
): CreateRenderRequest['aspect_ratio'] {
  const aspect = resolveAspectRatio(fields.aspect_ratio, info);
  const problems: Diagnostic[] = [];
  for (const set of variableSets) problems.push(...checkRenderVariables(info?.declarations ?? [], set.values, strict, set.label));
  for (const p of problems) if (p.severity === 'warning') logger.diagnostic(p);
  throwIfProblems(problems, 'variable values');
  return aspect;
}
