/**
 * The preview's render panel and dataset view, as the dev server and the page both see them:
 * the endpoints (all under the dev server's own prefix), the jobs of the render queue, the
 * dataset's rows with their problems, and the `studio` messages the server pushes over the
 * preview's websocket. Pure types and constants: no DOM, no Node imports.
 */
import type { ProblemData } from './diagnostics.js';
import type { VariableValues } from './variables.js';

/** Every endpoint of the render panel and the dataset view is under this path. */
export const STUDIO_API_PATH = '/__framesmith/api/studio/';

/**
 * Endpoints (relative to STUDIO_API_PATH):
 * - GET  `config?composition=` → StudioConfig
 * - GET  `jobs` → StudioJob[]; POST `jobs` (NewJobRequest) → 201 StudioJob | 409 OutputConflict
 * - POST `jobs/<id>/cancel`, `jobs/<id>/retry` (→ the new job), `jobs/<id>/reveal`; DELETE `jobs/<id>`
 * - GET  `jobs/<id>/<item>/video`, `jobs/<id>/<item>/thumbnail`: a finished render's files
 * - GET  `dataset?composition=` → DatasetView | null; DELETE `dataset`
 * - POST `dataset?composition=`: a dropped file as the body (its name in `x-file-name`), or
 *        JSON `{"project": "data/rows.csv"}` for a file of the project
 * - GET  `dataset/files` → project-relative .csv/.json files
 * - POST `dataset/thumbs` (ThumbRequest): the rows on screen; answers come as messages
 * - POST `dataset/check-all`: check every row in the background
 * - GET  `thumb/<id>.jpg`
 */
export const STUDIO_ROUTES = {
  config: 'config',
  jobs: 'jobs',
  dataset: 'dataset',
  datasetFiles: 'dataset/files',
  thumbs: 'dataset/thumbs',
  checkAll: 'dataset/check-all',
  thumb: 'thumb/',
} as const;

/** Stands for the cloud's render id in planned output paths until it is known (file-name-safe on purpose). */
export const RENDER_ID_TOKEN = '__render_id__';

/** Largest dataset file accepted (dropped, from the project or from `--data`). */
export const DATASET_MAX_BYTES = 20 * 1024 * 1024;
/** Datasets up to this many rows are checked (thumbnail, overflow, images) in full in the background. */
export const DATASET_AUTO_CHECK_ROWS = 500;

export type StudioFormat = 'mp4' | 'webm' | 'mov';
export type StudioQuality = 'draft' | 'standard' | 'high';
export type StudioResolution = '1080p' | '4k';

/** What a render is made with: the CLI's `--format --quality --fps --resolution`. */
export interface StudioParams {
  format: StudioFormat;
  quality: StudioQuality;
  fps: number;
  resolution: StudioResolution;
}

export interface StudioConfig {
  /** The project folder as typed (for copied commands). */
  dirLabel: string;
  /** Local renders run at once (default 1). */
  slots: number;
  /** A HeyGen credential was found (same sources as the CLI), and where; null when none. */
  cloud: { source: string; apiHost: string } | null;
  /** Why there is no credential (the CLI's message and hint). */
  cloudMissing: ProblemData | null;
  /** The composition's facts for the cost summary and the defaults. */
  composition: { entry: string; width: number; height: number; duration: number; fps: number | null; aspect: string | null } | null;
  /** The dataset file given with `framesmith dev --data`, if any. */
  dataFile: string | null;
}

/** One row to render: its values and, from the dataset view, its row number there (1-based). */
export interface JobRowInput {
  row?: number;
  variables: VariableValues;
}

export interface NewJobRequest {
  kind: 'local' | 'cloud';
  composition: string;
  params: StudioParams;
  /** Local only: frames a–b (inclusive, at the render's fps), e.g. from the preview's in/out range. */
  frames?: { first: number; last: number } | null;
  /** One row: a single video; several: a batch (one upload and N renders in the cloud). */
  rows: JobRowInput[];
  /**
   * Output name under the project's renders/ folder, without extension for one video
   * (`promo`), or a pattern for a batch (`{headline}`, `{index}`, `{format}`, and for the
   * cloud `{render_id}`). Default: the composition's name, `-{index}` for a batch.
   */
  name?: string;
  /** What to do when an output exists already (or another job will write it): ask (409), replace, or number it (`-2`). */
  onConflict?: 'ask' | 'replace' | 'number';
  /** Cloud: the user saw the cost summary and confirmed. */
  confirmed?: boolean;
  /** Where the job comes from, for its title (e.g. `rows.csv`). */
  source?: string;
}

/** The 409 answer: outputs that exist (or that queued jobs will write), and the free names. */
export interface OutputConflict {
  code: 'output_exists';
  message: string;
  /** Project-relative paths already taken. */
  taken: string[];
  /** The same job with numbered names: what `onConflict: 'number'` would write. */
  numbered: string[];
}

export type JobStatus = 'queued' | 'running' | 'cloud' | 'done' | 'failed' | 'cancelled';
/** Status of one video of a job. Cloud renders add the API's own statuses. */
export type ItemStatus =
  'waiting' | 'rendering' | 'uploading' | 'submitted' | 'queued' | 'downloading' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface JobItem {
  /** 1-based position in the job. */
  index: number;
  /** Row of the dataset it came from, if any. */
  row: number | null;
  variables: VariableValues;
  /** Project-relative output path (for a cloud render, known once its id is: `{render_id}`). */
  output: string;
  status: ItemStatus;
  /** Cloud: the render id and the API's last status. */
  renderId?: string;
  cloudStatus?: string;
  /** Finished: bytes, wall time, and the file's URL on this server. */
  size?: number;
  wallMs?: number;
  video?: string;
  thumbnail?: string;
  error?: ProblemData;
}

/**
 * A cloud row that HeyGen has (cancelled while it rendered or downloaded, or whose download
 * failed): Retry follows and downloads that render again instead of submitting a new one.
 */
export const resumableItem = (kind: StudioJob['kind'], item: JobItem): boolean =>
  kind === 'cloud' &&
  Boolean(item.renderId) &&
  item.cloudStatus !== 'failed' &&
  (item.status === 'cancelled' || (item.status === 'failed' && item.cloudStatus === 'completed'));

export interface JobProgress {
  /** Frames encoded of the current video, of its total. */
  done: number;
  total: number;
  /** Frames per second over the last seconds, and the time left for the current video. */
  fps: number;
  etaSeconds: number | null;
  /** Batch: the video being made (1-based) and how many. */
  item?: number;
  items?: number;
  /** What is happening (`Building the bundle`, `Uploading 2.1/4.0 MB`, `Rendering`). */
  phase: string;
}

export interface StudioJob {
  id: string;
  kind: 'local' | 'cloud';
  composition: string;
  title: string;
  params: StudioParams;
  frames: { first: number; last: number } | null;
  status: JobStatus;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  progress: JobProgress | null;
  items: JobItem[];
  error: ProblemData | null;
  warnings: string[];
  /** The job this one retries. */
  retryOf: string | null;
  /** The CLI command that does the same. */
  command: string;
}

/** A problem of one row of a dataset. */
export interface RowFlag {
  kind: 'invalid' | 'undeclared' | 'overflow-box' | 'overflow-frame' | 'image' | 'page-error';
  /** The column (variable id) it is about, when one. */
  column?: string;
  message: string;
  /** Seconds in the composition where it was seen (overflow). */
  time?: number;
  severity: 'error' | 'warning';
}

export interface DatasetRow {
  /** 1-based, as the file counts its records. */
  index: number;
  /** The values as the CLI's --batch reads them (CSV cells typed by the declarations). */
  values: VariableValues;
  /** Value problems (known at once); the page check adds its own in `checked`. */
  flags: RowFlag[];
  /** Flags found in the page (overflow, images, errors), once the row has been loaded. */
  checked: RowFlag[] | null;
}

export interface DatasetView {
  /** Where the rows come from: a project file, a dropped file, or `--data`. */
  source: { kind: 'project' | 'dropped' | 'cli'; name: string; path: string | null; bytes: number };
  composition: string;
  /** Column names, in the file's order (JSON: keys in first-seen order). */
  columns: string[];
  /** Per column: declared (with its type) or not. */
  columnInfo: { id: string; declared: boolean; type?: string; message?: string }[];
  /** Declared variables the file has no column for (every row gets the default). */
  missing: { id: string; default: unknown; message: string }[];
  rows: DatasetRow[];
  /** The file could not be read as rows: the CLI's error. */
  error: ProblemData | null;
  /** The server's file generation the rows were checked at. */
  generation: number;
  /** Whether every row is checked in the background (small datasets) or only the rows asked for. */
  autoCheck: boolean;
}

/** The rows on screen, for thumbnails and checks (replaces this page's previous request). */
export interface ThumbRequest {
  /** A random id per page, so two open pages do not cancel each other's requests. */
  page: string;
  composition: string;
  rows: number[];
  /** Seconds: one time, or a small strip. */
  times: number[];
  /** Thumbnail height in CSS pixels (device pixels are doubled on high-DPI screens by the page). */
  height: number;
}

/** Server → page, inside `{type: 'studio', event}` on the preview's websocket. */
export type StudioEvent =
  | { kind: 'job'; job: StudioJob }
  | { kind: 'job-removed'; id: string }
  /** The dataset changed (loaded, closed, re-read or re-checked after an edit): fetch it again. */
  | { kind: 'dataset'; generation: number }
  /** A thumbnail of a row is ready (or failed). */
  | {
      kind: 'thumb';
      composition: string;
      row: number;
      time: number;
      height: number;
      generation: number;
      url: string | null;
      error?: string;
    }
  /** A row was checked in the page. */
  | { kind: 'row-checked'; composition: string; row: number; generation: number; checked: RowFlag[] }
  /** Background checking progress. */
  | { kind: 'check-progress'; composition: string; done: number; total: number; perSecond: number };
