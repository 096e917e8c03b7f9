/**
 * What the dev server and its preview page say to each other: the reserved URL paths, the state
 * the page renders (model, problems), and the websocket messages. The server (src/dev) and the
 * page (preview/) both import this file, so a message has one shape on both sides.
 * Pure types and constants: no DOM, no Node imports.
 */
import type { RuntimeProblem } from './control.js';
import type { Diagnostic, ProblemData } from './diagnostics.js';
import type { ProjectModel } from './model.js';
import type { StudioEvent } from './studio-protocol.js';
import type { VariableValues } from './variables.js';

/** Everything the dev server serves itself lives under this prefix (never a project file). */
export const DEV_PREFIX = '/__framesmith/';
/** The preview page. */
export const DEV_PAGE_PATH = DEV_PREFIX;
/** The built preview UI (overlay.js, overlay.css). */
export const DEV_ASSETS_PATH = `${DEV_PREFIX}overlay/`;
/** GET `?composition=<entry>` → DevState as JSON. */
export const DEV_STATE_PATH = `${DEV_PREFIX}api/state`;
/** POST a DevBootParam too large for a URL → `{ref}`; the iframe URL then carries `{"ref": …}`. */
export const DEV_BOOT_PATH = `${DEV_PREFIX}api/boot`;
/** POST `{file, line, column}` → opens the project file in the user's editor; `{ok, message?}`. */
export const DEV_EDITOR_PATH = `${DEV_PREFIX}api/open-in-editor`;
/** GET `<id>.jpg`: a filmstrip thumbnail the server made (ids come in `thumb` messages). */
export const DEV_THUMB_PATH = `${DEV_PREFIX}api/thumb/`;
/** The websocket the page connects to for change and problem messages. */
export const DEV_WS_PATH = `${DEV_PREFIX}ws`;
/**
 * Query parameter on a composition URL loaded in the preview iframe: JSON `{variables}` that the
 * server writes into the page's boot options. It is read from the request, never from the page.
 */
export const DEV_BOOT_PARAM = '__fsboot';

/**
 * Request header of the server's own background pages (the dataset view's checks): project files
 * are answered cacheable for them, since that browser empties its cache whenever the project
 * changes. Everyone else gets `no-cache` (asked again every time).
 */
export const DEV_CACHED_FILES_HEADER = 'x-framesmith-cached-files';

/** Written into the preview page by the server, before the UI script runs. */
export interface DevPageConfig {
  /** Entry shown when the URL names none (`--composition`, else index.html). */
  defaultComposition: string;
  /** The project folder as the user typed it, for the copied `framesmith render` command. */
  dirLabel: string;
  version: string;
  /** Stable per project folder (a hash of its real path): keys what the page remembers per project. */
  projectId: string;
}

/** What the page needs to draw one composition. */
export interface DevState {
  /** Project-relative entry HTML this state is for. */
  composition: string;
  /** Every entry HTML of the project (for the picker). */
  entries: string[];
  /** Null when the project could not be read at all (see `fatal`). */
  model: ProjectModel | null;
  /** Parser and lint findings (errors, warnings, infos), sorted by place. */
  problems: Diagnostic[];
  /** Why there is no model (no entry file, no composition root…). */
  fatal: ProblemData | null;
  /** Increases with every batch of file changes the server saw. */
  generation: number;
}

/** Server → page. */
export type DevServerMessage =
  /** Files changed: `css` when only stylesheets changed (swap them), else `reload`. */
  | { type: 'change'; kind: 'css' | 'reload'; files: string[]; generation: number }
  /** Fresh state after a change (sent after `change`, once the project was re-read and linted). */
  | { type: 'state'; state: DevState }
  /** A module script failed to transform (syntax error, unresolved import): shown with the page's problems. */
  | { type: 'module-problem'; problem: ProblemData }
  /** Vite re-optimised dependencies: module URLs changed, reload the iframe. */
  | { type: 'deps-reload' }
  /** A filmstrip thumbnail is ready at `url` (for the request `key`). */
  | { type: 'thumb'; key: string; frame: number; url: string; bytes: number; cacheBytes: number }
  /** No filmstrip for request `key` (no browser, the page failed…). */
  | { type: 'filmstrip-error'; key: string; message: string }
  /** The render panel and the dataset view (see studio-protocol.ts). */
  | { type: 'studio'; event: StudioEvent };

/** Page → server. */
export type DevClientMessage =
  /** The composition this page shows; the server sends it `state` messages for that entry. */
  | { type: 'watch'; composition: string }
  /** Every runtime problem of the current iframe document (the terminal prints new ones). */
  | { type: 'runtime-problems'; composition: string; problems: RuntimeProblem[] }
  /** The page has painted the update for change `generation` (the server then re-reads and lints). */
  | { type: 'updated'; generation: number }
  /**
   * Thumbnails wanted for the filmstrip: `frames` of `composition` booted with `boot` (the
   * iframe's parameter) at `generation`, `height` pixels high. Replaces this page's previous
   * request; frames already made are sent at once.
   */
  | { type: 'filmstrip'; key: string; composition: string; boot: string; generation: number; frames: number[]; height: number }
  /** The page is playing or scrubbing: background work waits until `ms` from now. */
  | { type: 'busy'; ms: number };

/** Boot options the preview passes through DEV_BOOT_PARAM. */
export interface DevBootParam {
  variables?: VariableValues;
  /** Per sub-composition instance path: values replacing its data-variable-values. */
  instances?: Record<string, VariableValues>;
  /** A stashed boot (see DEV_BOOT_PATH): everything else is ignored. */
  ref?: string;
  /** The preview waits for paints itself (one per update instead of one per seek inside the iframe). */
  paint?: 'raf' | 'none';
}
