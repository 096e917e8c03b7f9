/**
 * The composition model: one parser turns a project folder into the typed model that lint,
 * build, dev, snapshot and render share, plus the parsed HTML (parse5, with locations) and CSS
 * (postcss) trees lint walks.
 *
 * What is a diagnostic here and what is left to lint: the parser reports structural problems,
 * the ones that make the model itself wrong or incomplete (root attributes, clip starts that
 * cannot be resolved, sub-composition files that cannot be used, invalid variable declarations
 * and instance values, invalid numeric data-* values). For everything else it records facts and
 * stays silent: an asset that is missing, differs in letter case, climbs out of the project or
 * is loaded from the network is an AssetRef with those flags, and lint reports it. The one
 * overlap is a data-composition-src file, which the parser must open and so reports itself.
 *
 * Only three things throw (FramesmithError): the folder is missing or not a folder, the entry
 * HTML is missing (or `--composition` points outside the project), the entry has no root.
 */
export { parseProject, loadProject, type ParseOptions, type ParsedProject } from './project.js';
export { listEntries, findEntries, isEntryDocument } from './entries.js';
export { findEntryRoot, findEntryRoot as findRootElement } from './entry.js';
export { findCompositionRoot } from './sub-compositions.js';
export {
  nodeLocation,
  attrValueLocation,
  contentLocation,
  positionAt,
  attr,
  hasAttr,
  descendants,
  textOf,
  bodyOf,
  htmlElementOf,
  hasDoctype,
  inTemplate,
  isElement,
  parentElement,
  parseHtmlFile,
  type ParsedHtmlFile,
  type HtmlElement,
  type HtmlDocument,
  type HtmlNode,
} from './html.js';
export { parseCss, cssRefs, inlineStyleRefs, offsetLocation, type ParsedCssFile, type CssRef } from './css.js';
export { srcsetUrls } from './assets.js';
export { resolveRef, ProjectFiles, type ResolvedRef, type FileLookup } from './files.js';
