/**
 * The composition model: one parser turns a project folder into the typed model that lint,
 * build, dev, snapshot and render share. The parser records facts (clips, media, assets with
 * exists/caseMismatch flags) and structural problems as diagnostics; lint turns facts into its
 * own diagnostics on top.
 */
export { parseProject, loadProject, findRootElement, type ParseOptions, type ParsedProject } from './project.js';
export { listEntries } from './entries.js';
export { nodeLocation, contentLocation, attr, hasAttr, descendants, textOf, bodyOf, htmlElementOf, inTemplate, isElement, parentElement, type ParsedHtmlFile, type HtmlElement, type HtmlDocument, type HtmlNode } from './html.js';
export { parseCss, cssRefs, offsetLocation, type ParsedCssFile } from './css.js';
export { resolveRef, ProjectFiles } from './files.js';
