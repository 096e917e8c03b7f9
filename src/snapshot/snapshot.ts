/**
 * `takeSnapshots()`: PNG stills of a composition at given times, from a real Chromium with the
 * runtime injected. Stills are byte-identical across runs and whatever order the times are given
 * in. Any page error, failed asset or missing timeline fails the whole call, with no PNG written.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { launchBrowser, type LaunchedBrowser } from '../browser/launch.js';
import { openComposition } from '../browser/composition-page.js';
import { FramesmithError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { loadProject } from '../model/index.js';
import { startStaticServer } from '../serve/static-server.js';
import { DEFAULT_FPS } from '../shared/model.js';
import { frameCount } from '../shared/time.js';
import type { VariableValues } from '../shared/variables.js';
import { failOnProblems, warnPageProblems, warnRenderedErrors } from './page-problems.js';
import { checkVariablesAgainst } from '../core/variables-input.js';

export interface SnapshotOptions {
  /** Project folder. */
  dir: string;
  /** Entry HTML (default index.html). */
  composition?: string;
  /** Times in seconds. */
  times?: number[];
  /** Instead of times: this many stills spread from the first to the last frame. */
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
  /** Requests to other hosts that were blocked (the cloud render cannot rely on them). */
  blocked: string[];
}

/** File name of the still at `t` seconds. */
export function stillName(t: number): string {
  return `still-${t.toFixed(3)}s.png`;
}

function timesFor(options: SnapshotOptions, duration: number, fps: number): number[] {
  if (options.times?.length) {
    for (const t of options.times) {
      if (!Number.isFinite(t) || t < 0 || t > duration) {
        throw new FramesmithError('invalid_time', `--at ${t} is outside the composition (0–${duration} s).`, {
          hint: `Pick times between 0 and ${duration}.`,
          exitCode: 2,
        });
      }
    }
    return [...new Set(options.times)];
  }
  const n = options.frames ?? 5;
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
    if (!options.browser) await launching.then((b) => b.close(), () => {});
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
    browser = await launching;
  } catch (error) {
    await server?.close();
    if (!options.browser) await launching.then((b) => b.close(), () => {});
    throw error;
  }
  phase('browser ready');
  const written: string[] = [];
  try {
    const page = await openComposition(browser.browser, { url: server.url(model.entry), width: comp.width, height: comp.height });
    phase('page ready');
    try {
      await failOnProblems(page, model.entry);
      await mkdir(outDir, { recursive: true });
      const stills: SnapshotStill[] = [];
      // Ascending order needs no reloads; the runtime gives the same pixels in any order anyway.
      for (const t of [...times].sort((a, b) => a - b)) {
        await page.seekTime(t);
        await failOnProblems(page, model.entry, t);
        const png = await page.capture({ format: 'png', omitBackground: true });
        const file = join(outDir, stillName(t));
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, png);
        written.push(tmp);
        stills.push({ time: t, file });
        phase(`still at ${t}s captured`);
      }
      warnPageProblems(logger, await page.problems());
      for (const s of stills) await rename(`${s.file}.${process.pid}.tmp`, s.file);
      written.length = 0;
      const order = new Map(times.map((t, i) => [t, i]));
      stills.sort((a, b) => order.get(a.time)! - order.get(b.time)!);
      return { stills, width: comp.width, height: comp.height, duration: comp.duration, blocked: [...page.blocked] };
    } finally {
      await page.close();
    }
  } finally {
    await Promise.all(written.map((f) => rm(f, { force: true })));
    if (!options.browser) await browser.close();
    await server.close();
  }
}
