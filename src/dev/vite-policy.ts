/**
 * The file-access policy inside Vite. The gate (request-guard.ts) judges every URL the browser
 * asks for; this plugin judges what Vite reads on the server's side on behalf of a module: every
 * module it loads (`?raw`, `?url`, `?inline`, `?import`, imports from `/@id/…`), and the files a
 * stylesheet pulls in before the browser sees it (`@import`, which Vite inlines, and `url()`,
 * which it may inline as a data: URL). A refused file fails like a missing one.
 */
import { promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';
import { cssRefs, parseCss } from '../model/css.js';
import { REMOTE_PROXY_PREFIX } from '../../shared/resource-rules.js';
import { checkAbsolutePath } from './request-guard.js';
import { isBelow } from '../core/inside.js';

/** The file behind a Vite module id, or null for virtual modules and URLs. */
export function fileOfId(id: string): string | null {
  // Remote files (answered from framesmith's cache by remoteImportsPlugin in vite-app.ts) are no project files.
  if (id.startsWith('\0') || id.startsWith('virtual:') || id.startsWith(REMOTE_PROXY_PREFIX)) return null;
  const file = id.replace(/[?#].*$/, '');
  return isAbsolute(file) ? file : null;
}

const shown = (file: string, root: string) =>
  isBelow(root, file) ? relative(root, file).split(sep).join('/') : 'a file outside the project';

/** An error Vite answers as "not found" (404), like a file that is not there. */
function notFound(file: string, root: string): Error {
  return Object.assign(new Error(`Failed to load ${shown(file, root)}: framesmith's file-access policy refuses it`), {
    code: 'ERR_LOAD_URL',
  });
}

const CSS_ID = /\.(css|scss|sass|less|styl|stylus|pcss|postcss)(?:$|\?)/i;

/** Files `css` (at `file`) brings in through @import and url(), @imports followed, each once. */
async function cssClosure(projectRoot: string, file: string, css: string, allowed: (file: string) => Promise<boolean>): Promise<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  const queue: { file: string; css: string }[] = [{ file, css }];
  seen.add(file);
  while (queue.length) {
    const item = queue.shift()!;
    const root = parseCss(item.css, item.file);
    if (!root) continue;
    for (const ref of cssRefs(root, { file: item.file, line: 1, column: 1 })) {
      const url = ref.url.trim();
      if (!url || /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i.test(url)) continue;
      const path = url.split(/[?#]/)[0];
      let decoded = path;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        /* kept as written */
      }
      // A leading / is the project root for Vite; anything else is relative to the sheet.
      const target = decoded.startsWith('/') ? join(projectRoot, decoded) : join(dirname(item.file), decoded);
      out.push(target);
      if (ref.isImport && !seen.has(target) && (await allowed(target))) {
        seen.add(target);
        const text = await fs.readFile(target, 'utf8').catch(() => null);
        if (text !== null) queue.push({ file: target, css: text });
      }
    }
  }
  return out;
}

/**
 * The plugin; `allowedOutside` are Vite's own folders (dependency cache, client). `packages`: a
 * build, which reads installed packages wherever they really are.
 */
export function filePolicyPlugin(root: string, allowedOutside: string[], options: { packages?: boolean } = {}): Plugin {
  const check = async (file: string) => (await checkAbsolutePath(root, allowedOutside, file, options)) !== 'refused';
  return {
    name: 'framesmith:file-policy',
    enforce: 'pre',
    async load(id) {
      const file = fileOfId(id);
      if (file && !(await check(file))) throw notFound(file, root);
      return null;
    },
    async transform(code, id) {
      if (!CSS_ID.test(id)) return null;
      const file = fileOfId(id);
      if (!file) return null;
      for (const target of await cssClosure(root, file, code, check)) {
        if (!(await check(target))) {
          // A problem in the user's stylesheet: shown in the terminal and the preview, the sheet not served.
          throw new Error(`${shown(file, root)} pulls in ${shown(target, root)}, which framesmith's file-access policy refuses`);
        }
      }
      return null;
    },
  };
}
