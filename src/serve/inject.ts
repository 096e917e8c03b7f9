/**
 * Puts the framesmith runtime into a composition page as it is served: two script tags at the
 * very start of <head>, before any page script, on the line of the <head> tag so that line
 * numbers in the user's file stay true in error messages. The user's files are never changed.
 */
import { parse } from 'parse5';
import type { BootOptions } from '../../shared/control.js';

/** URL path under which servers expose the built runtime. */
export const RUNTIME_URL_PATH = '/__framesmith/runtime.js';

/** JSON safe to place inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The tags to inject, without newlines. */
export function runtimeTags(boot: BootOptions, runtimeUrl = RUNTIME_URL_PATH): string {
  return `<script>window.__framesmithBoot=${scriptJson(boot)};</script><script src="${runtimeUrl}"></script>`;
}

/** How much of a page is parsed to find its head: the start tags are at its beginning. */
const HEAD_SCAN_CHARS = 1024 * 1024;

/** Offset in `html` right after the `<head>` start tag, or where the head would begin. */
export function headInsertionOffset(html: string): number {
  // A prefix parses to the same offsets for what it holds; a huge page is not parsed whole per request.
  const doc = parse(html.length > HEAD_SCAN_CHARS ? html.slice(0, HEAD_SCAN_CHARS) : html, { sourceCodeLocationInfo: true });
  const htmlEl = doc.childNodes.find((n) => n.nodeName === 'html') as
    | {
        childNodes: { nodeName: string; sourceCodeLocation?: { startTag?: { endOffset: number }; startOffset: number } | null }[];
        sourceCodeLocation?: { startTag?: { endOffset: number } } | null;
      }
    | undefined;
  const head = htmlEl?.childNodes.find((n) => n.nodeName === 'head');
  if (head?.sourceCodeLocation?.startTag) return head.sourceCodeLocation.startTag.endOffset;
  // No <head> tag written: insert before the first element of the implied head or body.
  if (htmlEl?.sourceCodeLocation?.startTag) return htmlEl.sourceCodeLocation.startTag.endOffset;
  const doctype = doc.childNodes.find((n) => n.nodeName === '#documentType') as
    { sourceCodeLocation?: { endOffset: number } | null } | undefined;
  return doctype?.sourceCodeLocation?.endOffset ?? 0;
}

/** Returns `html` with the runtime injected. */
export function injectRuntime(html: string, boot: BootOptions, runtimeUrl = RUNTIME_URL_PATH): string {
  const at = headInsertionOffset(html);
  return html.slice(0, at) + runtimeTags(boot, runtimeUrl) + html.slice(at);
}
