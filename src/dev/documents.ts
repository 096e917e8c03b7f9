/**
 * Composition documents as the preview iframe loads them: the user's HTML with the framesmith
 * runtime injected at the start of <head> and nothing else, as a render loads it. Boot variables
 * come from the iframe URL's DEV_BOOT_PARAM. Only a document with inline module scripts goes
 * through Vite's HTML transform (so their imports resolve), and Vite's client is taken out again.
 */
import type { ViteDevServer } from 'vite';
import type { BootOptions } from '../../shared/control.js';
import type { DevBootParam } from '../../shared/dev-protocol.js';
import type { VariableValues } from '../../shared/variables.js';
import { injectRuntime } from '../serve/inject.js';
import { servedFontPage, type FontPageCache } from '../fonts/serve.js';
import { proxyRemoteUrlsInHtml } from '../remote/dev-proxy.js';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Boot options from the iframe URL's parameter; anything malformed is ignored (defaults apply).
 * A `{ref}` names a boot stashed by the page (too large for a URL), looked up with `stashed`.
 */
export function parseBootParam(value: string | null, stashed?: (ref: string) => string | undefined): BootOptions {
  const boot: BootOptions = { paint: 'raf', engineMode: 'preview' };
  if (!value) return boot;
  try {
    let parsed = JSON.parse(value) as DevBootParam;
    if (typeof parsed?.ref === 'string') {
      const text = stashed?.(parsed.ref);
      if (text === undefined) return boot;
      parsed = JSON.parse(text) as DevBootParam;
    }
    const vars = parsed?.variables;
    if (isObject(vars)) boot.variables = vars as VariableValues;
    const instances = parsed?.instances;
    if (isObject(instances)) {
      const out: Record<string, VariableValues> = {};
      for (const [k, v] of Object.entries(instances)) if (isObject(v)) out[k] = v as VariableValues;
      if (Object.keys(out).length) boot.instanceValues = out;
    }
    if (parsed?.paint === 'none' || parsed?.paint === 'raf') boot.paint = parsed.paint;
  } catch {
    /* a hand-edited URL: show the defaults */
  }
  return boot;
}

/** `<script type="module">` with code in it (not `src=`): only Vite can resolve its imports. */
export function hasInlineModuleScript(html: string): boolean {
  for (const m of html.matchAll(/<script\b([^>]*)>/gi)) {
    const attrs = m[1];
    if (/\btype\s*=\s*["']?module\b/i.test(attrs) && !/\bsrc\s*=/i.test(attrs)) return true;
  }
  return false;
}

const VITE_CLIENT_TAG = /<script type="module" src="\/@vite\/client"><\/script>\s*/g;

/**
 * The document for `file` (project-relative, in the project at `root`) requested as `urlPath`
 * with boot `param`: with the faces HeyGen's engine would give it (src/fonts), then the runtime.
 * `runtimeUrl` carries a version so the browser keeps the runtime between reloads.
 */
export async function composeDocument(
  root: string,
  file: string,
  urlPath: string,
  param: string | null,
  runtimeUrl: string,
  vite: () => Promise<ViteDevServer>,
  fonts: FontPageCache,
  stashed?: (ref: string) => string | undefined,
): Promise<string> {
  // Fonts first (src/fonts), then remote files through the dev server's remote-file endpoint
  // (content cache, npm registry).
  let html = proxyRemoteUrlsInHtml((await servedFontPage(root, file, fonts)).html);
  if (hasInlineModuleScript(html)) {
    html = (await (await vite()).transformIndexHtml(urlPath, html)).replace(VITE_CLIENT_TAG, '');
  }
  return injectRuntime(html, parseBootParam(param, stashed), runtimeUrl);
}
