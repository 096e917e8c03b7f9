/**
 * Rules about referenced files: each local reference exists with exactly that letter case and
 * is one the file-access policy allows (inside the project, no dotfile or secret, also through
 * symlinks), media is not inlined or a placeholder, and anything loaded from the network is
 * flagged, since a cloud render cannot count on it.
 */
import type { AssetRef } from '../../../shared/model.js';
import { defaultContentCache } from '../../remote/content-cache.js';
import { resourceDiagnostic } from '../../../shared/resource-rules.js';
import type { LintContext } from '../context.js';
import { FILE_REFUSED } from '../../security/file-policy.js';

const PLACEHOLDER_HOSTS = [
  'placehold.co',
  'placeholder.com',
  'via.placeholder.com',
  'placekitten.com',
  'picsum.photos',
  'example.com',
  'dummyimage.com',
];
const NETWORK_KINDS = new Set<AssetRef['kind']>(['script', 'style', 'font', 'media', 'image', 'document']);

function hostOf(url: string): string | null {
  try {
    return new URL(url.startsWith('//') ? `https:${url}` : url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

export function assetRules(ctx: LintContext): void {
  const { model } = ctx;
  // The parser already reports some references (sub-composition files) at the same place.
  const parserAt = new Set(model.diagnostics.map((d) => `${d.loc?.file}:${d.loc?.line}:${d.loc?.column}`));
  const reportedRemote = new Set<string>();
  for (const ref of model.assets) {
    const where = `${ref.loc.file}:${ref.loc.line}:${ref.loc.column}`;
    if (ref.outsideRoot) {
      ctx.report(
        'invalid_parent_traversal_in_asset_path',
        ref.loc,
        `"${ref.url}" climbs above the project root; the file will not be in the bundle.`,
      );
      continue;
    }
    if (ref.external) {
      const host = hostOf(ref.url);
      if (host && (ref.kind === 'media' || ref.kind === 'image') && PLACEHOLDER_HOSTS.some((h) => host === h || host.endsWith(`.${h}`))) {
        ctx.report('placeholder_media_url', ref.loc, `"${ref.url}" is a placeholder service, not the real media.`);
      } else if (NETWORK_KINDS.has(ref.kind) && !reportedRemote.has(`${ref.loc.file}|${ref.url}`)) {
        reportedRemote.add(`${ref.loc.file}|${ref.url}`);
        const url = ref.url.trim().startsWith('//') ? `https:${ref.url.trim()}` : ref.url.trim();
        // The same words and severity as snapshot, render and dev (shared/resource-rules.ts).
        const c = !/^https?:/i.test(url)
          ? 'unsupported_scheme'
          : defaultContentCache().hasSync(url)
            ? 'remote_cached'
            : 'remote_not_cached';
        const d = resourceDiagnostic(c, { url: ref.url, kind: ref.kind });
        ctx.report(d.code, ref.loc, d.message, { hint: d.hint });
      }
      continue;
    }
    if (ref.inline) {
      if (ref.kind === 'media' && /^data:(audio|video)\//i.test(ref.url.trim())) {
        ctx.report('base64_media_prohibited', ref.loc, 'Audio/video is inlined as a data: URL.');
      }
      continue;
    }
    if (!ref.path || parserAt.has(where)) continue;
    if (ref.caseMismatch) {
      ctx.report(
        'asset_case_mismatch',
        ref.loc,
        `"${ref.url}" differs in letter case from the file ${ref.caseMismatch}; the cloud renders on case-sensitive Linux and will not find it.`,
        {
          hint: `Write "${ref.caseMismatch}" (or rename the file to match).`,
        },
      );
      continue;
    }
    if (ref.refused) {
      ctx.report(FILE_REFUSED, ref.loc, `"${ref.url}": ${ref.refused}; framesmith never serves or bundles it.`);
      continue;
    }
    if (!ref.exists) {
      ctx.report('missing_local_asset', ref.loc, `"${ref.url}" does not exist in the project (looked for ${ref.path}).`);
    }
  }
}
