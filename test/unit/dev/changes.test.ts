/**
 * The watcher's events as batches for the preview: a lone stylesheet edit goes out at once (no
 * quiet window before a CSS swap), events close together become one batch, and anything but
 * stylesheet edits makes the batch a reload.
 */
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

  it('ignores files outside the project, notes and ignored folders', () => {
    batcher.add('change', join('/', 'elsewhere', 'x.css'));
    batcher.add('change', at('README.md'));
    batcher.add('change', at('node_modules/x/y.css'));
    vi.advanceTimersByTime(50);
    expect(batches).toEqual([]);
  });
});
