/**
 * Facts about how HeyGen's renderer (hyperframes 0.8.170) runs a composition page in render mode,
 * shared by the runtime (which reproduces them) and lint (which finds them in scripts).
 * Pure data: no DOM, no Node imports.
 */

/**
 * Instance properties of a GSAP timeline that the renderer's timeline stand-in does not have
 * (it forwards methods only), with what to write instead. In the cloud they read as undefined.
 */
export const TIMELINE_PROPERTIES_MISSING: Readonly<Record<string, string>> = {
  labels: 'use the label name as the position, e.g. "hold5+=0.05", instead of reading tl.labels',
  vars: 'keep the values you passed to gsap.timeline() in a variable of your own',
  data: 'keep the data in a variable of your own',
  parent: 'keep a reference to the parent timeline in a variable of your own',
  scrollTrigger: 'compositions do not scroll; drive the animation from the timeline',
  smoothChildTiming: 'pass it in gsap.timeline({ smoothChildTiming }) instead',
  autoRemoveChildren: 'pass it in gsap.timeline({ autoRemoveChildren }) instead',
  ratio: 'use tl.progress() instead',
};

/**
 * The findings with which HeyGen's renderer (hyperframes 0.8.170) refuses a project outright:
 * no composition root, the entry wrapped in a <template> (no root in the page), a
 * data-composition-src file it cannot use. It renders through every other lint error (its own
 * `render` prints them and goes on); those build, snapshot and render report as warnings, and
 * `framesmith build --strict` refuses them too. Refusals only the page can show (a timeline that
 * never registers because a script threw, a video that cannot be read, no length at all) are the
 * runtime's to report.
 */
export const REFUSED_BY_HEYGEN: ReadonlySet<string> = new Set([
  'root_missing_composition_id',
  'standalone_composition_wrapped_in_template',
  'missing_or_empty_sub_composition',
]);

/**
 * Files framesmith could not read through at all (too deep, too large): part of
 * REFUSED_BY_FRAMESMITH, and the part the model stops on before any page opens (loadProject).
 */
export const UNREADABLE_FILE: ReadonlySet<string> = new Set(['nesting_too_deep', 'file_too_large']);

/**
 * The part of REFUSED_BY_FRAMESMITH the model sees whole before any page opens, so snapshot and
 * render stop on it at once (loadProject): unreadable files, and a reference with a scheme
 * nothing can load (`ftp:`, `file:`), which the cloud would render as a hole.
 */
export const REFUSED_BY_THE_MODEL: ReadonlySet<string> = new Set([...UNREADABLE_FILE, 'unsupported_url_scheme']);

/**
 * Findings framesmith refuses although HeyGen's renderer renders through them, on purpose (the
 * lead's decision for issue 11): a project file that does not exist. The cloud would render the
 * picture without it, a broken video the user pays for. Lint, build, snapshot and render stop on
 * it; the dev preview shows it and keeps playing; the parity report lists it as deliberate.
 */
export const REFUSED_BY_FRAMESMITH: ReadonlySet<string> = new Set([
  'missing_local_asset',
  'asset_load_failed',
  'bundle_file_missing',
  // A file the project reaches outside itself (a symlink to /etc): never read, never shipped.
  'file_refused',
  // A file framesmith could not check (too deep, too large): shipped unchecked, it could be
  // anything; the user splits or shrinks it first (docs/security.md, size budgets). And a URL of
  // a scheme neither framesmith nor the cloud can load: what uses it would be missing.
  ...REFUSED_BY_THE_MODEL,
]);

/** HeyGen's renderer size for a root without data-width/data-height. */
export const HEYGEN_DEFAULT_SIZE = { width: 1080, height: 1920 } as const;
