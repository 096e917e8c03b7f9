/**
 * `takeSnapshots()`: PNG stills of a composition at given times, from a real Chromium with the
 * runtime injected. Stills are byte-identical across runs and whatever order the times are given
 * in. Any page error, failed asset or missing timeline fails the whole call, with no PNG written.
 */
import { createHash } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { makeDirs, type CreatedDirs } from '../core/created-dirs.js';
import { join, resolve } from 'node:path';
import { launchBrowser, type LaunchedBrowser } from '../browser/launch.js';
import { openComposition } from '../browser/composition-page.js';
import { FramesmithError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { loadProject } from '../model/index.js';
import { startStaticServer } from '../serve/static-server.js';
import { warnFontsNotDrawnHere } from '../fonts/serve.js';
import { DEFAULT_FPS } from '../../shared/model.js';
import { frameCount } from '../../shared/time.js';
import type { VariableValues } from '../../shared/variables.js';
import { failOnProblems, pageWarnings, warnRenderedErrors } from './page-problems.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { checkVariablesAgainst } from '../options/variables-input.js';
import { summarizeRemote, type RemoteSummary } from '../remote/report.js';
import { EXIT } from '../core/exit-codes.js';

export interface SnapshotOptions {
  /** Project folder. */
  dir: string;
  /** Entry HTML (default index.html). */
  composition?: string;
  /** Times in seconds. */
  times?: number[];
  /** Instead of times: this many stills spread from the first to the last frame (default 5). */
  count?: number;
  /** @deprecated The old name of `count`. */
  frames?: number;
  /** Output folder (default `<dir>/snapshots`). */
  outDir?: string;
  variables?: VariableValues;
  /** Treat undeclared/invalid variable values as errors. */
  strictVariables?: boolean;
  logger?: Logger;
  /** A browser to reuse (benchmarks, tests); closed by the caller. */
  browser?: LaunchedBrowser;
}

export interface SnapshotStill {
  time: number;
  file: string;
}

export interface SnapshotResult {
  stills: SnapshotStill[];
  width: number;
  height: number;
  duration: number;
  /** Remote URLs that could not be loaded (warnings: the picture lacks them) and connections the isolation cut off. */
  blocked: string[];
  /** Connections the isolation cut off (WebSockets, WebRTC, anything else off the machine): warnings. */
  cutOff: string[];
  /** The page's remote files: what was loaded from where (cache, network, npm registry), what failed. */
  remote: RemoteSummary;
  /** What the page raised that HeyGen renders through, and script errors that follow from a remote script that could not be loaded (warnings). */
  pageWarnings: Diagnostic[];
  /** The hash in the file names when variables were given (see stillName), else null. */
  variablesHash: string | null;
}

/** JSON with object keys sorted, so the same values always give the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Eight hex digits that name a set of variable values (the same values, in any order, the same hash). */
export function variablesHash(variables: VariableValues): string {
  return createHash('sha256').update(canonicalJson(variables)).digest('hex').slice(0, 8);
}

/**
 * File name of the still at `t` seconds: `still-1.500s.png`, or with variables given
 * `still-1.500s-<hash of the values>.png`, so stills of different values never overwrite each other.
 */
export function stillName(t: number, variables?: VariableValues): string {
  const tag = variables && Object.keys(variables).length ? `-${variablesHash(variables)}` : '';
  return `still-${t.toFixed(3)}s${tag}.png`;
}

function timesFor(options: SnapshotOptions, duration: number, fps: number): number[] {
  if (options.times?.length) {
    for (const t of options.times) {
      if (!Number.isFinite(t) || t < 0 || t > duration) {
        throw new FramesmithError('invalid_time', `--at ${t} is outside the composition (0–${duration} s).`, {
          hint: `Pick times between 0 and ${duration}.`,
          exitCode: EXIT.usage,
        });
      }
    }
    return [...new Set(options.times)];
  }
  const n = options.count ?? options.frames ?? 5;
  const last = Math.max(0, frameCount(duration, fps) - 1) / fps;
  if (n <= 1) return [0];
  return Array.from({ length: n }, (_, i) => Number(((last * i) / (n - 1)).toFixed(6)));
}

/** Takes the stills. Throws FramesmithError for any problem, leaving no partial output. */
export async function takeSnapshots(options: SnapshotOptions): Promise<SnapshotResult> {
  const logger = options.logger ?? silentLogger;
  const started = performance.now();
  const phase = (name: string) => logger.debug(`snapshot: ${name} at ${Math.round(performance.now() - started)} ms`);
  // Chromium starts while the project is read; a bad project closes it again.
  const launching = options.browser ? Promise.resolve(options.browser) : launchBrowser();
  let model;
  let times: number[];
  try {
    model = await loadProject(options.dir, { composition: options.composition });
    warnRenderedErrors(logger, model.diagnostics);
    times = timesFor(options, model.composition.duration, model.composition.fps ?? DEFAULT_FPS);
    checkVariablesAgainst(model.composition.variables, options.variables ?? {}, logger, options.strictVariables);
  } catch (error) {
    if (!options.browser)
      await launching.then(
        (b) => b.close(),
        () => {},
      );
    throw error;
  }
  phase('project read');
  const comp = model.composition;
  const fps = comp.fps ?? DEFAULT_FPS;
  const outDir = resolve(options.outDir ?? join(model.root, 'snapshots'));

  let server;
  let browser;
  try {
    server = await startStaticServer({ root: model.root, boot: { variables: options.variables ?? {}, fps } });
    await warnFontsNotDrawnHere(logger, model.root, model.entry);
    browser = await launching;
  } catch (error) {
    await server?.close();
    if (!options.browser)
      await launching.then(
        (b) => b.close(),
        () => {},
      );
    throw error;
  }
  phase('browser ready');
  const written: string[] = [];
  let dirs: CreatedDirs | null = null;
  let done = false;
  try {
    const page = await openComposition(browser.browser, { url: server.url(model.entry), width: comp.width, height: comp.height });
    phase('page ready');
    try {
      await failOnProblems(page, model.entry);
      dirs = await makeDirs(outDir);
      const stills: SnapshotStill[] = [];
      // Ascending order needs no reloads; the runtime gives the same pixels in any order anyway.
      for (const t of [...times].sort((a, b) => a - b)) {
        await page.seekTime(t);
        await failOnProblems(page, model.entry, t);
        const png = await page.capture({ format: 'png', omitBackground: true });
        const file = join(outDir, stillName(t, options.variables));
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, png);
        written.push(tmp);
        stills.push({ time: t, file });
        phase(`still at ${t}s captured`);
      }
      for (const s of stills) await rename(`${s.file}.${process.pid}.tmp`, s.file);
      written.length = 0;
      const order = new Map(times.map((t, i) => [t, i]));
      stills.sort((a, b) => order.get(a.time)! - order.get(b.time)!);
      done = true;
      const given = options.variables && Object.keys(options.variables).length ? options.variables : null;
      return {
        stills,
        width: comp.width,
        height: comp.height,
        duration: comp.duration,
        blocked: [...page.blocked],
        cutOff: [...new Set(page.cutOff)],
        variablesHash: given && variablesHash(given),
        remote: summarizeRemote([page.remote]),
        pageWarnings: await pageWarnings(page),
      };
    } finally {
      await page.close();
    }
  } finally {
    await Promise.all(written.map((f) => rm(f, { force: true })));
    // A failed snapshot leaves no folder it made (an empty snapshots/).
    if (!done) await dirs?.removeIfEmpty();
    if (!options.browser) await browser.close();
    await server.close();
  }
}
