/**
 * The dataset view: the rows of a CSV or JSON file (from the project, dropped on the page, or
 * `framesmith dev --data`), read and checked by the server as `framesmith render --batch` reads
 * them, in a grid that draws only the rows on screen (10,000 rows scroll like 10). Each row has a
 * thumbnail at a chosen time (or a strip of four), made by the server for the rows on screen and
 * refreshed after an edit, and its problems: invalid values (with the column), text past its box
 * or the frame and images that failed to load (measured in the page), page errors. A click loads
 * the row's values into the preview; selected rows render as a batch (locally, or in the cloud as
 * one upload and one render per row); their commands or a batch file can be exported.
 */
import { renderCommand, shellQuote } from '../shared/studio-commands';
import type { DatasetRow, DatasetView as View, RowFlag, StudioConfig, StudioEvent } from '../shared/studio-protocol';
import { DATASET_MAX_BYTES } from '../shared/studio-protocol';
import type { VariableValues } from '../shared/variables';
import { copyText } from './clipboard';
import { h, icon, ICONS, replaceChildren } from './dom';
import { submitRender, type RenderSettings } from './render-panel';
import type { Store } from './store';
import { ApiError, studioApi } from './studio-api';

export interface DatasetContext {
  entry: string;
  dirLabel: string;
  store: Store;
  settings: RenderSettings;
  config(): StudioConfig | null;
  loadValues(values: VariableValues): void;
  seek(seconds: number): void;
  toast(message: string, ms?: number): void;
  /** The dock was opened or closed. */
  visibility(open: boolean): void;
}

const ROW_H = 64;
const THUMB_H = 54;
const OVERSCAN = 6;
const STRIP = [0.125, 0.375, 0.625, 0.875];
const PAGE_ID = Math.random().toString(36).slice(2);

type Filter = 'all' | 'problems';

export class DatasetView {
  readonly el: HTMLElement;
  private view: View | null = null;
  private files: string[] = [];
  private readonly checked = new Map<number, RowFlag[]>();
  private readonly thumbs = new Map<number, Map<number, string>>();
  private thumbErrors = new Map<number, string>();
  private readonly selected = new Set<number>();
  private lastClicked: number | null = null;
  private previewRow: number | null = null;
  private filter: Filter = 'all';
  private shown: DatasetRow[] = [];
  private mode: 'time' | 'strip' = 'time';
  private time: number | null = null;
  private namePattern = '';
  private loading: string | null = null;
  private error: { message: string; hint?: string } | null = null;
  private progress = '';
  private readonly toolbar = h('div', { class: 'ds-toolbar' });
  private readonly banners = h('div', { class: 'ds-banners' });
  private readonly header = h('div', { class: 'ds-row ds-header', role: 'row' });
  private readonly spacer = h('div', { class: 'ds-spacer' });
  private readonly scroller = h('div', { class: 'ds-scroller', role: 'grid', 'aria-label': 'Dataset rows' }, this.header, this.spacer);
  private readonly footer = h('div', { class: 'ds-footer' });
  private readonly dropOverlay = h('div', { class: 'ds-drop', hidden: true }, h('div', {}, 'Drop a CSV or JSON file of rows'));
  private readonly fileInput = h('input', {
    type: 'file',
    accept: '.csv,.json,text/csv,application/json',
    hidden: true,
    'data-testid': 'dataset-file-input',
  });
  private drawQueued = false;
  private wantTimer: ReturnType<typeof setTimeout> | undefined;
  private refetchTimer: ReturnType<typeof setTimeout> | undefined;
  private open = false;

  constructor(private readonly ctx: DatasetContext) {
    this.el = h(
      'section',
      { class: 'dataset-dock', hidden: true, 'aria-label': 'Dataset', 'data-testid': 'dataset' },
      this.toolbar,
      this.banners,
      this.scroller,
      this.footer,
      this.dropOverlay,
      this.fileInput,
    );
    this.scroller.addEventListener('scroll', () => this.scheduleDraw(), { passive: true });
    new ResizeObserver(() => this.scheduleDraw()).observe(this.scroller);
    this.fileInput.addEventListener('change', () => {
      const f = this.fileInput.files?.[0];
      if (f) void this.upload(f);
      this.fileInput.value = '';
    });
    this.bindDrop();
    this.drawToolbar();
  }

  get isOpen(): boolean {
    return this.open;
  }

  toggle(force?: boolean): void {
    this.open = force ?? !this.open;
    this.el.hidden = !this.open;
    this.ctx.visibility(this.open);
    if (this.open) {
      void this.refresh();
      void studioApi.datasetFiles().then(
        (f) => ((this.files = f), this.drawToolbar()),
        () => {},
      );
    }
  }

  /** Fetches the dataset again (after a load, an edit, a reconnect). */
  async refresh(): Promise<void> {
    try {
      const v = await studioApi.dataset(this.ctx.entry);
      this.setView(v);
    } catch (error) {
      this.error = { message: (error as Error).message };
      this.drawAll();
    }
  }

  message(event: StudioEvent): void {
    if (event.kind === 'dataset') {
      // New generation or new rows: fetch again (a burst of edits becomes one fetch).
      clearTimeout(this.refetchTimer);
      this.refetchTimer = setTimeout(() => void this.refresh(), 60);
      return;
    }
    if (!this.view || ('composition' in event && event.composition !== this.ctx.entry)) return;
    if (event.kind === 'thumb') {
      if (event.height !== this.thumbHeight() || event.generation < this.view.generation) return;
      if (!event.url) {
        this.thumbErrors.set(event.row, event.error ?? 'No thumbnail');
      } else {
        let m = this.thumbs.get(event.row);
        if (!m || m.get(-1) !== undefined) this.thumbs.set(event.row, (m = new Map()));
        m.set(event.time, event.url);
        this.thumbErrors.delete(event.row);
      }
      this.updateRow(event.row);
    } else if (event.kind === 'row-checked') {
      if (event.generation < this.view.generation) return;
      this.checked.set(event.row, event.checked);
      this.updateRow(event.row);
      this.drawFooter();
    } else if (event.kind === 'check-progress') {
      this.progress =
        event.done >= event.total ? '' : `Checking rows in the background: ${event.done}/${event.total} · ${event.perSecond}/s`;
      this.drawFooter();
    }
  }

  private setView(v: View | null): void {
    const sameRows = this.view && v && this.view.source.name === v.source.name && this.view.rows.length === v.rows.length;
    const newGeneration = !this.view || !v || v.generation !== this.view.generation;
    this.view = v;
    this.error = v?.error ? { message: v.error.message, hint: v.error.hint } : null;
    if (!sameRows) {
      this.selected.clear();
      this.thumbs.clear();
      this.previewRow = null;
    } else if (newGeneration) {
      // Keep the old pictures until the new ones come (marked stale).
      for (const m of this.thumbs.values()) m.set(-1, 'stale');
    }
    this.checked.clear();
    for (const r of v?.rows ?? []) if (r.checked) this.checked.set(r.index, r.checked);
    this.thumbErrors.clear();
    if (this.time === null && this.ctx.config()?.composition) this.time = Math.round(this.ctx.config()!.composition!.duration * 50) / 100;
    this.drawAll();
    this.requestThumbs(0);
  }

  // ---- loading

  private bindDrop(): void {
    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    let depth = 0;
    window.addEventListener('dragenter', (e) => {
      if (!hasFiles(e)) return;
      depth++;
      if (!this.open) this.toggle(true);
      this.dropOverlay.hidden = false;
    });
    window.addEventListener('dragleave', (e) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (!depth) this.dropOverlay.hidden = true;
    });
    window.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    });
    window.addEventListener('drop', (e) => {
      if (!hasFiles(e)) return;
      // Never let the browser open the file in place of the preview.
      e.preventDefault();
      depth = 0;
      this.dropOverlay.hidden = true;
      const file = e.dataTransfer?.files[0];
      if (file) void this.upload(file);
    });
  }

  private async upload(file: File): Promise<void> {
    if (!/\.(csv|json)$/i.test(file.name)) {
      this.error = {
        message: `${file.name} is not a .csv or .json file.`,
        hint: 'Use a CSV with a header row of variable ids, or a JSON array of objects.',
      };
      return this.drawAll();
    }
    if (file.size > DATASET_MAX_BYTES) {
      // The server refuses it too; saying so here spares sending 50 MB first.
      this.error = {
        message: `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; the dataset view reads files of at most ${(DATASET_MAX_BYTES / 1024 / 1024).toFixed(1)} MB.`,
        hint: 'Split the rows into smaller files, or render them from the terminal: framesmith render --batch <file>.',
      };
      return this.drawAll();
    }
    await this.load(file.name, () => studioApi.upload(this.ctx.entry, file));
  }

  private async load(name: string, run: () => Promise<View>): Promise<void> {
    this.loading = name;
    this.error = null;
    this.drawAll();
    try {
      this.setView(await run());
    } catch (error) {
      const p = error instanceof ApiError ? error.problem : { message: String(error) };
      this.error = { message: p.message, hint: (p as { hint?: string }).hint };
    } finally {
      this.loading = null;
      this.drawAll();
    }
  }

  // ---- thumbnails

  private thumbHeight(): number {
    return Math.round(THUMB_H * Math.min(2, window.devicePixelRatio || 1));
  }

  private times(): number[] {
    const d = this.ctx.config()?.composition?.duration ?? this.ctx.store.state.duration;
    if (this.mode === 'strip') return STRIP.map((f) => Math.round(f * d * 1000) / 1000);
    return [Math.round(Math.max(0, Math.min(d, this.time ?? d / 2)) * 1000) / 1000];
  }

  private visibleRange(): [number, number] {
    const top = this.scroller.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
    const last = Math.min(this.shown.length - 1, Math.ceil((top + this.scroller.clientHeight) / ROW_H) + OVERSCAN);
    return [first, last];
  }

  private requestThumbs(delay = 120): void {
    clearTimeout(this.wantTimer);
    this.wantTimer = setTimeout(() => {
      if (!this.view || !this.open || !this.shown.length) return;
      const [a, b] = this.visibleRange();
      const rows = this.shown.slice(a, b + 1).map((r) => r.index);
      void studioApi
        .thumbs({ page: PAGE_ID, composition: this.ctx.entry, rows, times: this.times(), height: this.thumbHeight() })
        .catch(() => {});
    }, delay);
  }

  // ---- drawing

  private scheduleDraw(): void {
    if (this.drawQueued) return;
    this.drawQueued = true;
    requestAnimationFrame(() => {
      this.drawQueued = false;
      this.drawRows();
      this.requestThumbs();
    });
  }

  private drawAll(): void {
    const v = this.view;
    this.shown = !v ? [] : this.filter === 'problems' ? v.rows.filter((r) => this.flagsOf(r).length) : v.rows;
    this.drawToolbar();
    this.drawBanners();
    this.drawHeader();
    this.spacer.style.height = `${this.shown.length * ROW_H}px`;
    this.drawRows(true);
    this.drawFooter();
  }

  private flagsOf(r: DatasetRow): RowFlag[] {
    return [...r.flags, ...(this.checked.get(r.index) ?? [])];
  }

  private drawToolbar(): void {
    const v = this.view;
    const sel = this.selected.size;
    const cloud = this.ctx.config()?.cloud;
    const fileSelect = h(
      'select',
      {
        'data-testid': 'dataset-project-file',
        title: 'A CSV or JSON file of the project',
        onchange: (e: Event) => {
          const f = (e.target as HTMLSelectElement).value;
          if (f) void this.load(f, () => studioApi.openProjectFile(this.ctx.entry, f));
        },
      },
      h('option', { value: '' }, this.files.length ? 'Project file…' : 'No .csv/.json in the project'),
      this.files.map((f) => h('option', { value: f, selected: v?.source.kind === 'project' && v.source.path === f }, f)),
    );
    const timeInput = h('input', {
      type: 'number',
      min: 0,
      step: 0.1,
      class: 'mono',
      'data-testid': 'dataset-time',
      value: this.time ?? '',
      disabled: this.mode === 'strip',
      title: 'Time of the thumbnails, in seconds',
      onchange: (e: Event) => {
        const t = Number((e.target as HTMLInputElement).value);
        if (Number.isFinite(t) && t >= 0) {
          this.time = t;
          this.thumbs.clear();
          this.drawRows(true);
          this.requestThumbs(0);
        }
      },
    });
    replaceChildren(
      this.toolbar,
      h('h2', {}, 'Dataset'),
      v
        ? h(
            'span',
            { class: 'ds-source', title: v.source.path ?? v.source.name },
            `${v.source.name} · ${v.rows.length.toLocaleString('en')} row${v.rows.length === 1 ? '' : 's'}`,
          )
        : null,
      this.loading ? h('span', { class: 'ds-loading' }, `Reading ${this.loading}…`) : null,
      fileSelect,
      h('button', { class: 'text-button', 'data-testid': 'dataset-open-file', onclick: () => this.fileInput.click() }, 'Open file…'),
      h('span', { class: 'ds-sep' }),
      h('label', { class: 'ds-field' }, 'Thumbnail at', timeInput, 's'),
      h(
        'button',
        {
          class: 'text-button',
          title: "Use the preview's playhead",
          onclick: () => (
            (this.time = Math.round((this.ctx.store.state.frame / this.ctx.store.state.fps) * 100) / 100),
            (this.mode = 'time'),
            this.thumbs.clear(),
            this.drawAll(),
            this.requestThumbs(0)
          ),
        },
        'Playhead',
      ),
      h(
        'label',
        { class: 'small-check' },
        h('input', {
          type: 'checkbox',
          'data-testid': 'dataset-strip',
          checked: this.mode === 'strip',
          onchange: (e: Event) => (
            (this.mode = (e.target as HTMLInputElement).checked ? 'strip' : 'time'),
            this.thumbs.clear(),
            this.drawAll(),
            this.requestThumbs(0)
          ),
        }),
        'Strip',
      ),
      h(
        'select',
        {
          'data-testid': 'dataset-filter',
          onchange: (e: Event) => (
            (this.filter = (e.target as HTMLSelectElement).value as Filter),
            (this.scroller.scrollTop = 0),
            this.drawAll(),
            this.requestThumbs(0)
          ),
        },
        h('option', { value: 'all', selected: this.filter === 'all' }, 'All rows'),
        h('option', { value: 'problems', selected: this.filter === 'problems' }, 'Rows with problems'),
      ),
      h('span', { class: 'grow' }),
      h('span', { class: 'ds-selected', 'data-testid': 'dataset-selected' }, sel ? `${sel} selected` : 'None selected'),
      h('input', {
        type: 'text',
        class: 'mono ds-name',
        placeholder: `${this.sourceStem()}-{row}`,
        value: this.namePattern,
        title:
          'Output names under renders/: {row} (the row number in the file), {column}, {index} (1, 2… of the selection), {format}; {render_id} in the cloud',
        oninput: (e: Event) => (this.namePattern = (e.target as HTMLInputElement).value),
      }),
      h(
        'button',
        { class: 'text-button primary', 'data-testid': 'dataset-render', disabled: !sel, onclick: () => void this.render('local') },
        `Render ${sel || ''}`.trim(),
      ),
      h(
        'button',
        {
          class: 'text-button',
          'data-testid': 'dataset-render-cloud',
          disabled: !sel || !cloud,
          title: cloud ? 'One upload, one HeyGen render per row' : 'No HeyGen API key is set up',
          onclick: () => void this.render('cloud'),
        },
        'On HeyGen…',
      ),
      h(
        'button',
        {
          class: 'text-button with-icon',
          'data-testid': 'dataset-copy-commands',
          disabled: !v?.rows.length,
          title: 'One framesmith render command per selected row (all rows when none is selected)',
          onclick: () => void this.copyCommands(),
        },
        icon(ICONS.copy, { size: 13 }),
        'Commands',
      ),
      h(
        'button',
        {
          class: 'text-button',
          'data-testid': 'dataset-export',
          disabled: !v?.rows.length,
          title: 'The selected rows (all when none is selected) as a batch file, and its command',
          onclick: () => void this.exportBatch(),
        },
        'Batch file',
      ),
      v?.autoCheck === false
        ? h(
            'button',
            {
              class: 'text-button',
              'data-testid': 'dataset-check-all',
              title: 'Load every row in the page to check it (takes a while)',
              onclick: () => void studioApi.checkAll(this.ctx.entry).catch((e) => this.ctx.toast((e as Error).message)),
            },
            'Check all',
          )
        : null,
      v
        ? h(
            'button',
            {
              class: 'icon-button',
              title: 'Close the dataset',
              'aria-label': 'Close the dataset',
              onclick: () => void studioApi.closeDataset().then(() => this.setView(null)),
            },
            icon(ICONS.reset, { size: 14 }),
          )
        : null,
      h(
        'button',
        { class: 'icon-button', title: 'Hide the dataset view', 'aria-label': 'Hide', onclick: () => this.toggle(false) },
        icon(ICONS.close, { size: 14 }),
      ),
    );
  }

  private drawBanners(): void {
    const v = this.view;
    const items: Node[] = [];
    if (this.error)
      items.push(
        h(
          'div',
          { class: 'ds-banner error', role: 'alert', 'data-testid': 'dataset-error' },
          h('div', {}, this.error.message),
          this.error.hint ? h('div', { class: 'problem-hint' }, this.error.hint) : null,
        ),
      );
    for (const c of v?.columnInfo ?? [])
      if (!c.declared)
        items.push(h('div', { class: 'ds-banner warn', 'data-testid': 'dataset-unknown-column' }, `Column "${c.id}": ${c.message}`));
    for (const m of v?.missing ?? []) items.push(h('div', { class: 'ds-banner warn', 'data-testid': 'dataset-missing-column' }, m.message));
    if (!v && !this.error && !this.loading) {
      items.push(
        h(
          'div',
          { class: 'ds-empty', 'data-testid': 'dataset-empty' },
          h(
            'p',
            {},
            'No dataset yet. Drop a CSV or JSON file of rows here, open one of the project, or start with ',
            h('code', {}, `framesmith dev --data rows.csv`),
            '.',
          ),
          h(
            'p',
            {},
            'A CSV has a header row of variable ids and one line per video; a JSON file is an array of objects (as ',
            h('code', {}, 'framesmith render --batch'),
            ' reads them).',
          ),
        ),
      );
    }
    replaceChildren(this.banners, items);
  }

  private columns(): string[] {
    return this.view?.columns ?? [];
  }

  private gridTemplate(): string {
    const n = this.mode === 'strip' ? STRIP.length : 1;
    const comp = this.ctx.config()?.composition;
    const w = Math.round(THUMB_H * (comp ? comp.width / comp.height : 16 / 9));
    return `28px 56px ${n * w + (n - 1) * 3}px repeat(${this.columns().length}, minmax(110px, 1fr)) minmax(260px, 1.4fr)`;
  }

  private drawHeader(): void {
    const cols = this.columns();
    const info = new Map(this.view?.columnInfo.map((c) => [c.id, c]) ?? []);
    this.scroller.style.setProperty('--ds-cols', this.gridTemplate());
    const comp = this.ctx.config()?.composition;
    if (comp) this.scroller.style.setProperty('--ds-aspect', `${comp.width} / ${comp.height}`);
    const all = this.shown.length > 0 && this.shown.every((r) => this.selected.has(r.index));
    replaceChildren(
      this.header,
      h(
        'div',
        { class: 'ds-cell' },
        h('input', {
          type: 'checkbox',
          'aria-label': 'Select all rows',
          'data-testid': 'dataset-select-all',
          checked: all,
          onchange: (e: Event) => this.selectAll((e.target as HTMLInputElement).checked),
        }),
      ),
      h('div', { class: 'ds-cell num' }, '#'),
      h('div', { class: 'ds-cell' }, this.mode === 'strip' ? 'Strip' : `At ${(this.times()[0] ?? 0).toFixed(2)} s`),
      cols.map((c) =>
        h(
          'div',
          {
            class: `ds-cell col${info.get(c)?.declared ? '' : ' undeclared'}`,
            title: info.get(c)?.message ?? `${c} (${info.get(c)?.type ?? ''})`,
          },
          c,
          info.get(c)?.declared ? null : ' ⚠',
        ),
      ),
      h('div', { class: 'ds-cell' }, 'Problems'),
    );
  }

  private drawRows(force = false): void {
    if (!this.view) {
      replaceChildren(this.spacer);
      return;
    }
    const [a, b] = this.visibleRange();
    const key = `${a}-${b}`;
    if (!force && this.spacer.dataset.range === key) return;
    this.spacer.dataset.range = key;
    const nodes: Node[] = [];
    for (let i = a; i <= b; i++) nodes.push(this.rowEl(this.shown[i], i));
    replaceChildren(this.spacer, nodes);
  }

  private updateRow(index: number): void {
    const el = this.spacer.querySelector<HTMLElement>(`[data-row="${index}"]`);
    if (!el) return;
    const i = Number(el.dataset.pos);
    el.replaceWith(this.rowEl(this.shown[i], i));
  }

  private rowEl(r: DatasetRow, pos: number): HTMLElement {
    const flags = this.flagsOf(r);
    const byColumn = new Map<string, RowFlag[]>();
    for (const f of flags) if (f.column) byColumn.set(f.column, [...(byColumn.get(f.column) ?? []), f]);
    const times = this.times();
    const thumbs = this.thumbs.get(r.index);
    const stale = thumbs?.get(-1) !== undefined;
    const cols = this.columns();
    const checkedYet = this.checked.has(r.index);
    const el = h(
      'div',
      {
        class: `ds-row${this.selected.has(r.index) ? ' selected' : ''}${this.previewRow === r.index ? ' in-preview' : ''}${flags.some((f) => f.severity === 'error') ? ' has-error' : flags.length ? ' has-warning' : ''}`,
        role: 'row',
        'data-row': r.index,
        'data-pos': pos,
        style: { transform: `translateY(${pos * ROW_H}px)` },
        onclick: (e: MouseEvent) => {
          if ((e.target as Element).closest('input,button,a')) return;
          this.previewRow = r.index;
          this.ctx.loadValues(r.values);
          this.drawRows(true);
        },
        title: 'Click: show this row in the preview',
      },
      h(
        'div',
        { class: 'ds-cell' },
        h('input', {
          type: 'checkbox',
          'aria-label': `Select row ${r.index}`,
          checked: this.selected.has(r.index),
          onclick: (e: MouseEvent) => this.toggleSelect(r.index, pos, (e.target as HTMLInputElement).checked, e.shiftKey),
        }),
      ),
      h('div', { class: 'ds-cell num' }, String(r.index)),
      h(
        'div',
        { class: `ds-cell thumbs${stale ? ' stale' : ''}` },
        times.map((t) => {
          const url = thumbs?.get(t) ?? (stale ? [...(thumbs?.entries() ?? [])].find(([k]) => k !== -1)?.[1] : undefined);
          return url && url !== 'stale'
            ? h('img', {
                class: 'thumb',
                src: url,
                alt: `Row ${r.index} at ${t.toFixed(2)} s`,
                'data-loaded': stale ? undefined : '',
                'data-time': t,
                draggable: false,
              })
            : h(
                'div',
                {
                  class: `thumb placeholder${this.thumbErrors.has(r.index) ? ' failed' : ''}`,
                  title: this.thumbErrors.get(r.index) ?? 'Making the thumbnail…',
                },
                this.thumbErrors.has(r.index) ? '!' : '',
              );
        }),
      ),
      cols.map((c) => {
        const v = r.values[c];
        const text = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
        const f = byColumn.get(c);
        return h(
          'div',
          {
            class: `ds-cell val${f?.some((x) => x.severity === 'error') ? ' bad' : f ? ' warn' : ''}`,
            title: f ? f.map((x) => x.message).join('\n') : text,
          },
          text.replace(/\s+/g, ' '),
        );
      }),
      h(
        'div',
        { class: 'ds-cell flags', 'data-testid': 'row-flags' },
        flags.length
          ? flags.slice(0, 3).map((f) =>
              h(
                'span',
                {
                  class: `flag ${f.severity} k-${f.kind}`,
                  title: f.message + (f.time !== undefined ? ' (click: show it)' : ''),
                  onclick:
                    f.time !== undefined
                      ? (e: Event) => (
                          e.stopPropagation(),
                          (this.previewRow = r.index),
                          this.ctx.loadValues(r.values),
                          this.ctx.seek(f.time!),
                          this.drawRows(true)
                        )
                      : undefined,
                },
                flagText(f),
              ),
            )
          : h('span', { class: 'flag ok' }, checkedYet ? 'OK' : r.flags.length ? '' : 'checking…'),
        flags.length > 3
          ? h(
              'span',
              {
                class: 'flag more',
                title: flags
                  .slice(3)
                  .map((f) => f.message)
                  .join('\n'),
              },
              `+${flags.length - 3}`,
            )
          : null,
      ),
    );
    return el;
  }

  private toggleSelect(index: number, pos: number, on: boolean, range: boolean): void {
    if (range && this.lastClicked !== null) {
      const [a, b] = [Math.min(this.lastClicked, pos), Math.max(this.lastClicked, pos)];
      for (let i = a; i <= b; i++) {
        if (on) this.selected.add(this.shown[i].index);
        else this.selected.delete(this.shown[i].index);
      }
    } else if (on) this.selected.add(index);
    else this.selected.delete(index);
    this.lastClicked = pos;
    this.drawToolbar();
    this.drawHeader();
    this.drawRows(true);
  }

  private selectAll(on: boolean): void {
    for (const r of this.shown) {
      if (on) this.selected.add(r.index);
      else this.selected.delete(r.index);
    }
    this.drawToolbar();
    this.drawRows(true);
  }

  private drawFooter(): void {
    const v = this.view;
    if (!v) return replaceChildren(this.footer);
    const withProblems = v.rows.filter((r) => this.flagsOf(r).length).length;
    const checked = v.rows.filter((r) => this.checked.has(r.index)).length;
    replaceChildren(
      this.footer,
      h(
        'span',
        { 'data-testid': 'dataset-summary' },
        `${v.rows.length.toLocaleString('en')} rows · ${withProblems} with problems · ${checked} checked in the page${v.autoCheck ? '' : ' (rows on screen are checked; "Check all" checks the rest)'}`,
      ),
      this.progress ? h('span', { class: 'ds-progress', 'data-testid': 'dataset-progress' }, this.progress) : null,
    );
  }

  // ---- actions

  private selectedRows(orAll: boolean): DatasetRow[] {
    const rows = this.view?.rows ?? [];
    const sel = rows.filter((r) => this.selected.has(r.index));
    return sel.length || !orAll ? sel : rows;
  }

  private sourceStem(): string {
    return (this.view?.source.name.split(/[\\/]/).pop() ?? 'rows').replace(/\.(csv|json)$/i, '') || 'rows';
  }

  private async render(kind: 'local' | 'cloud'): Promise<void> {
    const rows = this.selectedRows(false);
    if (!rows.length) return;
    const bad = rows.filter((r) => r.flags.some((f) => f.severity === 'error'));
    if (bad.length)
      this.ctx.toast(
        `${bad.length} selected row${bad.length > 1 ? 's have' : ' has'} invalid values; they render with the values as given (as the CLI does).`,
        6000,
      );
    const name = this.namePattern.trim() || `${this.sourceStem()}-{row}`;
    const job = await submitRender(
      {
        kind,
        composition: this.ctx.entry,
        params: { ...this.ctx.settings.params },
        rows: rows.map((r) => ({ row: r.index, variables: r.values })),
        name,
        onConflict: 'ask',
        source: this.view?.source.name,
      },
      this.ctx.config(),
      this.ctx.toast,
    );
    if (job) this.ctx.toast(`${job.items.length} render${job.items.length > 1 ? 's' : ''} queued: see the render panel`, 3000);
  }

  private async copyCommands(): Promise<void> {
    const rows = this.selectedRows(true);
    const p = this.ctx.settings.params;
    const stem = this.sourceStem();
    const lines = rows.map((r) =>
      renderCommand({
        dir: this.ctx.dirLabel,
        composition: this.ctx.entry,
        params: p,
        variables: r.values,
        out: `renders/${stem}-${r.index}.${p.format}`,
      }),
    );
    const ok = await copyText(lines.join('\n'));
    this.ctx.toast(ok ? `Copied ${lines.length} command${lines.length > 1 ? 's' : ''}` : 'Could not copy to the clipboard');
  }

  private async exportBatch(): Promise<void> {
    const rows = this.selectedRows(true);
    const stem = this.sourceStem();
    const file = `${stem}${rows.length !== (this.view?.rows.length ?? 0) ? '-selected' : ''}.json`;
    const blob = new Blob(
      [
        `${JSON.stringify(
          rows.map((r) => r.values),
          null,
          2,
        )}\n`,
      ],
      { type: 'application/json' },
    );
    const a = h('a', { href: URL.createObjectURL(blob), download: file });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    const p = this.ctx.settings.params;
    const cmd = renderCommand({
      dir: this.ctx.dirLabel,
      composition: this.ctx.entry,
      params: p,
      batch: file,
      pattern: `renders/${this.namePattern.trim() || `${stem}-{index}`}.${p.format}`,
    });
    const ok = await copyText(cmd);
    this.ctx.toast(`Saved ${file} (${rows.length} row${rows.length > 1 ? 's' : ''})${ok ? `; copied: ${cmd}` : ''}`, 6000);
  }
}

function flagText(f: RowFlag): string {
  const col = f.column ? `${f.column}: ` : '';
  switch (f.kind) {
    case 'invalid':
      return f.message;
    case 'undeclared':
      return f.message;
    case 'overflow-box':
      return `${col}text past its box${f.time !== undefined ? ` at ${f.time.toFixed(2)} s` : ''}`;
    case 'overflow-frame':
      return `${col}text past the frame${f.time !== undefined ? ` at ${f.time.toFixed(2)} s` : ''}`;
    case 'image':
      return `${col}image did not load`;
    case 'page-error':
      return `page error: ${f.message}`;
  }
}

export { shellQuote };
