/**
 * framesmith as a library: the same functions the commands call, for scripts and pipelines.
 * `import { loadProject, takeSnapshots, buildBundle, renderLocal } from 'framesmith'`;
 * the HeyGen client is `framesmith/cloud`.
 */
export { FramesmithError, isFramesmithError, type FramesmithErrorOptions } from './core/errors.js';
export { createLogger, silentLogger, type Logger, type LoggerOptions } from './core/logger.js';
export { parseProject, loadProject, listEntries, type ParseOptions, type ParsedProject } from './model/index.js';
export { takeSnapshots, type SnapshotOptions, type SnapshotResult } from './snapshot/snapshot.js';
export { lintProject, type LintOptions, type LintResult } from './lint/index.js';
export { buildBundle } from './build/build-bundle.js';
export { renderLocal, renderBatch, type RenderOptions, type RenderResult } from './render/index.js';
export { createDevServer, type DevServer, type DevServerOptions } from './dev/index.js';
export { createProject } from './scaffold/create-project.js';
export { listTemplates } from './scaffold/templates.js';
export type { ProjectModel, CompositionModel, Clip, AssetRef, MediaElement, SubCompositionInstance } from '../shared/model.js';
export type { Diagnostic, SourceLocation, ProblemData } from '../shared/diagnostics.js';
export type { VariableDeclaration, VariableValues } from '../shared/variables.js';
export {
  vendorProject,
  VENDOR_EXIT_INCOMPLETE,
  type VendorOptions,
  type VendorResult,
  type VendoredFile,
  type VendorProblem,
} from './vendor/vendor.js';
export { RemoteResolver, type RemoteFile } from './remote/resolver.js';
export { ContentCache, defaultCacheDir, type CacheRecord, type CacheRead } from './remote/content-cache.js';
export { NpmRegistry, readRegistryConfig, type ResolvedVersion, type NpmFile, type PackageListing } from './remote/npm-registry.js';
export { parseNpmCdnUrl, type NpmCdnRef } from './remote/npm-cdn.js';
