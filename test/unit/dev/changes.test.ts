/**
 * The watcher's events as batches for the preview: a lone stylesheet edit goes out at once (no
 * quiet window before a CSS swap), events close together become one batch, and anything but
 * stylesheet edits makes the batch a reload.
 */
import { appendFileSync, mkdtempSync, promises as fs, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChangeBatcher, type ChangeBatch } from '../../../src/dev/changes.js';

const root = join('/', 'project');
const at = (rel: string) => join(root, ...rel.split('/'));

describe('change batches', () => {
  let batches: ChangeBatch[];
  let batcher: ReturnType<typeof createChangeBatcher>;
  beforeEach(() => {
    vi.useFakeTimers();
    batches = [];
    batcher = createChangeBatcher({ root, onBatch: (b) => batches.push(b), quietMs: 12, maxWaitMs: 120 });
  });
  afterEach(() => {
    batcher.close();
    vi.useRealTimers();
  });

  it('sends a lone stylesheet edit at once, without waiting for the quiet window', () => {
    batcher.add('change', at('css/style.css'));
    expect(batches).toEqual([{ kind: 'css', files: ['css/style.css'] }]);
  });

  it('gathers the events that follow it within the quiet window into the next batch', () => {
    batcher.add('change', at('a.css'));
    vi.advanceTimersByTime(3);
    batcher.add('change', at('b.css'));
    batcher.add('change', at('c.css'));
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(12);
    expect(batches).toEqual([
      { kind: 'css', files: ['a.css'] },
      { kind: 'css', files: ['b.css', 'c.css'] },
    ]);
  });

  it('reloads once for a stylesheet saved with other files (the swap that led stays a swap)', () => {
    batcher.add('change', at('style.css'));
    batcher.add('change', at('index.html'));
    batcher.add('change', at('app.js'));
    vi.advanceTimersByTime(12);
    expect(batches).toEqual([
      { kind: 'css', files: ['style.css'] },
      { kind: 'reload', files: ['app.js', 'index.html'] },
    ]);
  });

  it('a stylesheet edit after another file joins that batch (a reload), and one quiet window later leads again', () => {
    batcher.add('change', at('index.html'));
    batcher.add('change', at('style.css'));
    vi.advanceTimersByTime(12);
    expect(batches).toEqual([{ kind: 'reload', files: ['index.html', 'style.css'] }]);
    vi.advanceTimersByTime(12);
    batcher.add('change', at('style.css'));
    expect(batches.at(-1)).toEqual({ kind: 'css', files: ['style.css'] });
  });

  it('a new or removed stylesheet, or another file, waits for the quiet window (a removed one reloads)', () => {
    batcher.add('add', at('new.css'));
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(12);
    batcher.add('unlink', at('old.css'));
    vi.advanceTimersByTime(12);
    vi.advanceTimersByTime(12);
    batcher.add('change', at('index.html'));
    vi.advanceTimersByTime(11);
    expect(batches).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([
      // A new stylesheet may be one a <link> already names (then the page swaps it, else it reloads).
      { kind: 'css', files: ['new.css'] },
      { kind: 'reload', files: ['old.css'] },
      { kind: 'reload', files: ['index.html'] },
    ]);
  });

  it('a stylesheet still being written when its event came is reported again once written (the watcher is silent for 50 ms)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framesmith-changes-'));
    const file = join(dir, 'style.css');
    writeFileSync(file, '#root { color: red;');
    const real = createChangeBatcher({ root: dir, onBatch: (b) => batches.push(b) });
    try {
      real.add('change', file, statSync(file));
      expect(batches).toEqual([{ kind: 'css', files: ['style.css'] }]);
      // The rest of the write lands after the event; the watcher reports nothing more.
      appendFileSync(file, ' }\n');
      await vi.advanceTimersByTimeAsync(60);
      await vi.waitFor(() => expect(batches).toHaveLength(2));
      expect(batches[1]).toEqual({ kind: 'css', files: ['style.css'] });
      // Looked at again after that one too: unchanged now, nothing more is sent.
      await vi.advanceTimersByTimeAsync(60);
      for (let i = 0; i < 5; i++) await fs.stat(file);
      await vi.advanceTimersByTimeAsync(60);
      expect(batches).toHaveLength(2);
    } finally {
      real.close();
    }
  });

  it('a stylesheet whole at its event is sent once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framesmith-changes-'));
    const file = join(dir, 'style.css');
    writeFileSync(file, '#root { color: red; }\n');
    const real = createChangeBatcher({ root: dir, onBatch: (b) => batches.push(b) });
    try {
      real.add('change', file, statSync(file));
      await vi.advanceTimersByTimeAsync(60);
      for (let i = 0; i < 5; i++) await fs.stat(file);
      await vi.advanceTimersByTimeAsync(60);
      expect(batches).toEqual([{ kind: 'css', files: ['style.css'] }]);
    } finally {
      real.close();
    }
  });

  it('ignores files outside the project, notes and ignored folders', () => {
    batcher.add('change', join('/', 'elsewhere', 'x.css'));
    batcher.add('change', at('README.md'));
    batcher.add('change', at('node_modules/x/y.css'));
    vi.advanceTimersByTime(50);
    expect(batches).toEqual([]);
  });
});
