/**
 * `buildBundle()`: packages a composition project for HeyGen's cloud renderer. Lint (errors stop
 * it), bundle (Vite for module scripts that import packages or TypeScript, a plain copy
 * otherwise), check the built output in a real Chromium, and zip it reproducibly. The cloud
 * command calls this to get the zip it uploads.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { aspectRatioOf } from '../options/aspect.js';
import type { AspectRatio } from '../options/render-params.js';
import { FramesmithError } from '../core/errors.js';
import { isBelow } from '../core/inside.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import { lintParsed } from '../lint/lint-project.js';
import { lintCounts } from '../lint/format.js';
import { REFUSED_BY_FRAMESMITH, REFUSED_BY_HEYGEN, HEYGEN_DEFAULT_SIZE } from '../../shared/render-mode.js';
import { warnRenderedErrors } from '../snapshot/page-problems.js';
import { parseProject } from '../model/index.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { DEFAULT_FPS } from '../../shared/model.js';
import type { VariableDeclaration } from '../../shared/variables.js';
import type { SampledFrame } from './browser-check.js';
import { badNamesError, collectProjectFiles, type SkippedFile } from './collect-files.js';
import { FILE_REFUSED, REFUSAL_HINT } from '../security/file-policy.js';
import { findModuleNeeds } from './module-graph.js';
import { describeLeftOut, excludeOutputs, explainLeftOut, type LeftOutFile } from './output-exclusion.js';
import { stageOutput } from './stage.js';
import { makeDirs } from '../core/created-dirs.js';
import { checkBundleSize, formatBytes, writeZip } from './zip.js';
import { checkZipNames } from './zip-names.js';

export interface BuildOptions {
  /** Project folder. */
  dir: string;
  /** Zip to write (default `<dir>/build/<folder name>.zip`); an existing folder gets `<name>.zip` inside. */
  out?: string;
  /** Entry HTML inside the project (default index.html). */
  composition?: string;
  /** Load the built output in Chromium before zipping (default true; `--no-check` turns it off). */
  check?: boolean;
  /**
   * Refuse on every lint error (as `hyperframes render --strict` does). Default: refuse only on
   * what HeyGen's renderer refuses, and report the other lint errors as warnings.
   */
  strict?: boolean;
  logger?: Logger;
  /** A browser to reuse for the check (tests, benchmarks); closed by the caller. */
  browser?: LaunchedBrowser;
  /**
   * Patterns (gitignore syntax) of files to ship although they are outputs or media the
   * composition does not reference (`--include`). See output-exclusion.ts.
   */
  include?: string[];
  /** Text in which a media file's name counts as a reference, e.g. render-time variable values. */
  references?: string[];
}

export interface BuildResult {
  ok: true;
  /** Absolute path of the zip. */
  zipPath: string;
  /** sha256 of the zip, hex. */
  sha256: string;
  /** Zip size in bytes. */
  size: number;
  /** Entry HTML inside the zip (the API's `composition` parameter). */
  entry: string;
  width: number;
  height: number;
  /** Seconds. */
  duration: number;
  fps: number;
  /** The API's aspect_ratio for this size; null when it is none the cloud renders. */
  aspectRatio: AspectRatio | null;
  /** Declared variables of the entry (what `--variables` may set). */
  variables: VariableDeclaration[];
  /** Files in the zip with their sizes, sorted. */
  files: { path: string; size: number }[];
  /** Sum of the files' sizes (before compression). */
  totalBytes: number;
  /** How the output was made: copied as it is, or built by Vite. */
  bundler: 'copy' | 'vite';
  /** Project files left out of the zip, and why. */
  skipped: SkippedFile[];
  /** Outputs and unreferenced media left out (`--include` keeps them), with their sizes. */
  leftOut: LeftOutFile[];
  /** Bytes those would have added. */
  leftOutBytes: number;
  /** Lint warnings, skipped symlinks and blocked network requests. */
  warnings: Diagnostic[];
  /** The browser check, or null with `check: false`; `blocked`: remote files that could not be had and connections the isolation cut off. */
  check: { frames: SampledFrame[]; blocked: string[]; ms: number } | null;
  /** Time per step and in total, ms. */
  timings: { lint: number; bundle: number; check: number; zip: number; total: number };
}

async function resolveOut(root: string, out: string | undefined): Promise<string> {
  const name = `${basename(root)}.zip`;
  if (!out) return join(root, 'build', name);
  const abs = resolve(out);
  const stat = await fs.stat(abs).catch(() => null);
  return stat?.isDirectory() ? join(abs, name) : abs;
}

/** The warning for a file left out that the author may have meant to ship (a symlink that was not followed). */
function skippedWarning(s: SkippedFile): Diagnostic | null {
  const loc = { file: s.rel, line: 0, column: 0 };
  if (s.reason === 'broken-symlink') {
    return {
      code: 'broken_symlink',
      severity: 'warning',
      message: `${s.rel} is a broken symlink (to ${s.target}); left out of the zip.`,
      hint: 'Remove the link, or point it at a file inside the project.',
      loc,
    };
  }
  if (s.reason !== 'symlink-outside' && s.reason !== 'refused') return null;
  const why =
    s.reason === 'symlink-outside'
      ? `links to ${s.target}, outside the project`
      : `links to ${s.target}, a dotfile or key/credential file framesmith never bundles`;
  return { code: FILE_REFUSED, severity: 'warning', message: `${s.rel} ${why}; left out of the zip.`, hint: REFUSAL_HINT, loc };
}

/** Builds the zip. Throws a FramesmithError (and writes no zip) when any step fails. */
export async function buildBundle(options: BuildOptions): Promise<BuildResult> {
  const logger = options.logger ?? silentLogger;
  const t0 = performance.now();
  const timings = { lint: 0, bundle: 0, check: 0, zip: 0, total: 0 };
  const parsed = await parseProject(options.dir, { composition: options.composition });
  const { model } = parsed;
  const root = model.root;
  const lint = lintParsed(parsed);
  timings.lint = performance.now() - t0;
  const warnings: Diagnostic[] = lint.diagnostics.filter((d) => d.severity === 'warning');
  const errors = lint.diagnostics.filter(
    (d) => d.severity === 'error' && (options.strict || REFUSED_BY_HEYGEN.has(d.code) || REFUSED_BY_FRAMESMITH.has(d.code)),
  );
  if (errors.length) {
    const [first] = errors;
    throw new FramesmithError('lint_failed', `Lint found ${lintCounts(lint)}; nothing was built. First: ${first.message}`, {
      hint: `${first.hint ? `${first.hint} ` : ''}Run \`framesmith lint\` for the full report.`,
      loc: first.loc,
      details: errors,
    });
  }
  for (const w of warnings) logger.diagnostic(w);
  if (!options.strict) warnings.push(...warnRenderedErrors(logger, lint.diagnostics));
  logger.info(`✓ lint: ${lintCounts(lint)}`);

  const tBundle = performance.now();
  const outPath = await resolveOut(root, options.out);
  // The zip is left out of itself only when it is written below the project (the root itself is a folder, never the zip).
  const outRel = isBelow(root, outPath) ? relative(root, outPath).split(sep).join('/') : null;
  const collected = await collectProjectFiles(root, { exclude: outRel ? [outRel] : [] });
  if (collected.badNames.length) throw badNamesError(collected.badNames);
  // Checked again on the built files just before they are zipped (zip.ts).
  checkZipNames(collected.files.map((f) => f.rel));
  for (const s of collected.skipped) {
    const w = skippedWarning(s);
    if (!w) continue;
    warnings.push(w);
    logger.diagnostic(w);
  }
  if (!collected.files.some((f) => f.rel === model.entry)) {
    throw new FramesmithError(
      'entry_excluded',
      `${model.entry} would not be in the zip (it is excluded by .framesmithignore or a build folder).`,
      {
        hint: 'Remove the pattern that matches the entry from .framesmithignore.',
        loc: { file: model.entry, line: 0, column: 0 },
      },
    );
  }
  const shipped = await excludeOutputs(root, model, collected.files, collected.skipped, {
    include: options.include,
    references: options.references,
  });
  if (shipped.leftOut.length)
    logger.info(
      `✓ left out ${shipped.leftOut.length} file${shipped.leftOut.length > 1 ? 's' : ''}: ${describeLeftOut(shipped.leftOut, formatBytes)} (--include keeps them)`,
    );
  checkBundleSize(
    shipped.files,
    shipped.files.reduce((n, f) => n + f.size, 0),
  );
  const needs = await findModuleNeeds(
    root,
    shipped.files.filter((f) => /\.html?$/i.test(f.rel)).map((f) => f.rel),
  );
  // The zip's folder is made now (the stage lives in it); a failed build takes it back if it made it.
  const outDirs = await makeDirs(dirname(outPath));
  let staged: Awaited<ReturnType<typeof stageOutput>>;
  try {
    staged = await stageOutput(root, shipped.files, needs, dirname(outPath), logger);
  } catch (error) {
    await outDirs.removeIfEmpty();
    throw error;
  }
  let built = false;
  try {
    timings.bundle = performance.now() - tBundle;
    logger.info(
      staged.mode === 'vite'
        ? `✓ bundle: Vite built ${needs.map((n) => `${n.html} (${n.reason})`).join(', ')}`
        : `✓ bundle: ${staged.files.length} files copied as they are`,
    );

    const comp = model.composition;
    // A root without a size renders at HeyGen's default size (lint warned about it).
    if (!(comp.width > 0) || !(comp.height > 0)) {
      comp.width = comp.width > 0 ? comp.width : HEYGEN_DEFAULT_SIZE.width;
      comp.height = comp.height > 0 ? comp.height : HEYGEN_DEFAULT_SIZE.height;
    }
    const fps = comp.fps ?? DEFAULT_FPS;
    let check: BuildResult['check'] = null;
    if (options.check !== false) {
      const tCheck = performance.now();
      // Loaded only when used: playwright-core alone takes a few hundred ms to import.
      const { checkInBrowser } = await import('./browser-check.js');
      const result = await checkInBrowser({
        dir: staged.dir,
        entry: model.entry,
        width: comp.width,
        height: comp.height,
        fps,
        browser: options.browser,
      }).catch((e: unknown) => {
        throw explainLeftOut(e, shipped.leftOut);
      });
      timings.check = performance.now() - tCheck;
      for (const w of result.warnings) logger.diagnostic(w);
      warnings.push(...result.warnings);
      check = { frames: result.frames, blocked: result.blocked, ms: result.ms };
      logger.info(
        `✓ check: frames ${result.frames.map((f) => f.frame).join(', ')} rendered in Chromium (${(result.ms / 1000).toFixed(1)} s)`,
      );
    }

    const tZip = performance.now();
    const stagedTotal = staged.files.reduce((n, f) => n + f.size, 0);
    checkBundleSize(staged.files, stagedTotal, undefined, 'The built files add up to');
    const zip = await writeZip(staged.files, outPath);
    timings.zip = performance.now() - tZip;
    timings.total = performance.now() - t0;
    logger.info(`✓ zip: ${formatBytes(zip.size)}`);
    const result: BuildResult = {
      ok: true,
      zipPath: zip.path,
      sha256: zip.sha256,
      size: zip.size,
      entry: model.entry,
      width: comp.width,
      height: comp.height,
      duration: comp.duration,
      fps,
      aspectRatio: aspectRatioOf(comp.width, comp.height),
      variables: comp.variables,
      files: staged.files.map((f) => ({ path: f.rel, size: f.size })),
      totalBytes: stagedTotal,
      bundler: staged.mode,
      skipped: collected.skipped,
      leftOut: shipped.leftOut,
      leftOutBytes: shipped.savedBytes,
      warnings,
      check,
      timings: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])) as BuildResult['timings'],
    };
    built = true;
    return result;
  } finally {
    await staged.remove();
    if (!built) await outDirs.removeIfEmpty();
  }
}
