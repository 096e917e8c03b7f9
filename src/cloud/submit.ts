/**
 * `submitRender()`: validate render parameters and create one render, with an Idempotency-Key so
 * a retried submit returns the first render instead of starting (and billing) a second one.
 */
import type { CloudClient } from './client.js';
import { renderParamsToRequest, throwIfProblems, type RenderParams } from './params.js';
import type { CreateRenderResponse, ProjectInput } from './types.js';

export interface SubmitRenderOptions {
  /** From `uploadProjectZip(...).project`, or an asset id / URL input. */
  project: ProjectInput;
  params?: RenderParams;
  /** Generated when left out; returned either way. */
  idempotencyKey?: string;
}

/** Validates `params` (exit 2 on problems, nothing sent) and creates the render. */
export async function submitRender(
  client: CloudClient,
  options: SubmitRenderOptions,
): Promise<CreateRenderResponse & { idempotency_key: string }> {
  const { fields, problems } = renderParamsToRequest(options.params ?? {});
  throwIfProblems(problems);
  return client.renders.create({ project: options.project, ...fields }, { idempotencyKey: options.idempotencyKey });
}
