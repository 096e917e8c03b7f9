/**
 * The render panel's and dataset view's calls to the dev server (STUDIO_API_PATH). Errors come
 * back as the server's problem (code, message, hint), ready to be shown as they are.
 */
import type { ProblemData } from '../shared/diagnostics';
import {
  STUDIO_API_PATH,
  type DatasetView,
  type NewJobRequest,
  type OutputConflict,
  type StudioConfig,
  type StudioJob,
  type ThumbRequest,
} from '../shared/studio-protocol';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemData,
    readonly conflict: OutputConflict | null = null,
  ) {
    super(problem.message);
  }
}

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${STUDIO_API_PATH}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, {
      code: 'offline',
      message: `The dev server did not answer (${(error as Error).message}). Is framesmith dev still running?`,
    });
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    const error = (parsed as { error?: ProblemData & Partial<OutputConflict> } | null)?.error;
    if (res.status === 409 && error && 'taken' in error)
      throw new ApiError(409, { code: error.code, message: error.message }, error as OutputConflict);
    throw new ApiError(
      res.status,
      error?.message ? error : { code: `http_${res.status}`, message: text.slice(0, 300) || `HTTP ${res.status}` },
    );
  }
  return parsed as T;
}

const q = (composition: string) => `?composition=${encodeURIComponent(composition)}`;

export const studioApi = {
  config: (composition: string) => call<StudioConfig>('GET', `config${q(composition)}`),
  jobs: () => call<StudioJob[]>('GET', 'jobs'),
  addJob: (request: NewJobRequest) => call<StudioJob>('POST', 'jobs', request),
  cancel: (id: string) => call<{ ok: boolean }>('POST', `jobs/${id}/cancel`, {}),
  retry: (id: string) => call<StudioJob>('POST', `jobs/${id}/retry`, {}),
  reveal: (id: string) => call<{ ok: boolean; message?: string; folder: string; file: string }>('POST', `jobs/${id}/reveal`, {}),
  remove: (id: string) => call<{ ok: boolean }>('DELETE', `jobs/${id}`),
  dataset: (composition: string) => call<DatasetView | null>('GET', `dataset${q(composition)}`),
  datasetFiles: () => call<string[]>('GET', 'dataset/files'),
  openProjectFile: (composition: string, file: string) => call<DatasetView>('POST', `dataset${q(composition)}`, { project: file }),
  upload: (composition: string, file: File) =>
    call<DatasetView>('POST', `dataset${q(composition)}`, file, {
      'content-type': file.type || 'text/plain',
      'x-file-name': encodeURIComponent(file.name),
    }),
  closeDataset: () => call<null>('DELETE', 'dataset'),
  thumbs: (request: ThumbRequest) => call<{ ok: boolean }>('POST', `dataset/thumbs${q(request.composition)}`, request),
  checkAll: (composition: string) => call<{ ok: boolean }>('POST', `dataset/check-all${q(composition)}`, {}),
};
