/**
 * The preview page's HTML: an empty shell that loads the built UI (preview/, served from
 * dist/preview) with the server's settings. The composition itself is loaded by the UI
 * into an iframe; nothing of the UI ever enters that iframe.
 */
import { scriptJson } from '../serve/inject.js';
import { DEV_ASSETS_PATH, type DevPageConfig } from '../../shared/dev-protocol.js';

/** Global the shell sets for the UI script. */
export const PAGE_CONFIG_GLOBAL = '__framesmithDevConfig';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The page, with `config` embedded. */
export function shellPage(config: DevPageConfig): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(config.dirLabel)} · framesmith dev</title>
<link rel="icon" href="data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#f59e0b"/><path d="M5 4l7 4-7 4z" fill="#111"/></svg>')}">
<link rel="stylesheet" href="${DEV_ASSETS_PATH}overlay.css">
<script>window.${PAGE_CONFIG_GLOBAL}=${scriptJson(config)};</script>
<script type="module" src="${DEV_ASSETS_PATH}overlay.js"></script>
</head>
<body></body>
</html>
`;
}
