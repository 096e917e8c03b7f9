/**
 * `file:line` links: clicking one asks the dev server to open the file at that line in the
 * user's editor (LAUNCH_EDITOR / EDITOR, see src/dev/editor.ts). The server's answer, good or
 * bad, is shown as a toast: a missing or misconfigured editor gets a message saying what to set.
 */
import type { SourceLocation } from '../shared/diagnostics';
import { DEV_EDITOR_PATH } from '../shared/dev-protocol';
import { h } from './dom';

export type Toast = (message: string, ms?: number) => void;

export async function openInEditor(loc: SourceLocation, toast: Toast): Promise<void> {
  const where = loc.line > 0 ? `${loc.file}:${loc.line}` : loc.file;
  try {
    const res = await fetch(DEV_EDITOR_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file: loc.file, line: loc.line, column: loc.column }),
    });
    const body = (await res.json().catch(() => ({}))) as { ok?: boolean; message?: string; editor?: string };
    if (res.ok && body.ok) toast(`Opened ${where} in ${body.editor ?? 'the editor'}`);
    else toast(body.message ?? `Could not open ${where} (HTTP ${res.status}).`, 9000);
  } catch (error) {
    toast(`Could not open ${where}: ${(error as Error).message}`, 9000);
  }
}

/** A `file:line:col` link (a button) that opens the place in the editor. */
export function locLink(loc: SourceLocation, toast: Toast): HTMLElement {
  const text = loc.line > 0 ? `${loc.file}:${loc.line}:${loc.column}` : loc.file;
  return h(
    'button',
    {
      class: 'problem-loc',
      title: `Open ${text} in your editor`,
      onmousedown: (e: Event) => e.preventDefault(),
      onclick: (e: Event) => {
        e.stopPropagation();
        void openInEditor(loc, toast);
      },
    },
    text,
  );
}
