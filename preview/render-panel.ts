/**
 * The render panel: render the preview's current values (or its in/out range) on this machine,
 * or on HeyGen's cloud when an API key is set up, with the CLI's format, quality, fps and
 * resolution; and the queue the server keeps (it survives a reload of the page): progress with
 * frames, fps and time left, cancel, retry, finished videos playable here with their path, size
 * and time, their folder opened in the file manager. A cloud render shows what it will cost
 * (renders, pixel size, seconds) and asks once; a taken output name asks what to do.
 */
import type { ProblemData } from '../shared/diagnostics';
import { renderCommand } from '../shared/studio-commands';
import {
  resumableItem,
  type JobItem,
  type NewJobRequest,
  type StudioConfig,
  type StudioJob,
  type StudioParams,
} from '../shared/studio-protocol';
import type { VariableValues } from '../shared/variables';
import { copyText } from './clipboard';
import { h, icon, ICONS, replaceChildren } from './dom';
import { playRange, type Store } from './store';
import { ask } from './studio-dialogs';
import { ApiError, studioApi } from './studio-api';

export interface RenderSettings {
  kind: 'local' | 'cloud';
  params: StudioParams;
  /** Render only the preview's in/out range (local). */
  useRange: boolean;
  /** Output name (empty: the default). */
  name: string;
}

export interface RenderPanelContext {
  entry: string;
  dirLabel: string;
  store: Store;
  values(): VariableValues;
  toast(message: string, ms?: number): void;
}

const SETTINGS_KEY = 'framesmith.dev.render';
const DEFAULT_PARAMS: StudioParams = { format: 'mp4', quality: 'standard', fps: 30, resolution: '1080p' };

export function loadSettings(): RenderSettings {
  try {
    const s = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}') as Partial<RenderSettings>;
    return {
      kind: s.kind === 'cloud' ? 'cloud' : 'local',
      params: { ...DEFAULT_PARAMS, ...(s.params ?? {}) },
      useRange: s.useRange === true,
      name: '',
    };
  } catch {
    return { kind: 'local', params: { ...DEFAULT_PARAMS }, useRange: false, name: '' };
  }
}

export function saveSettings(s: RenderSettings): void {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify({ kind: s.kind, params: s.params, useRange: s.useRange }));
  } catch {
    /* private mode: settings last for this page */
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 2 : 1)} MB`;
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
}

const paramsText = (p: StudioParams) => `${p.format} · ${p.quality} · ${p.fps} fps · ${p.resolution}`;

/**
 * Queues a render, asking first where needed: the cloud's cost (once), and what to do with an
 * output name that is taken. Resolves with the job, or null when the user said no.
 */
export async function submitRender(
  request: NewJobRequest,
  config: StudioConfig | null,
  toast: (m: string, ms?: number) => void,
  onError?: (p: ProblemData) => void,
): Promise<StudioJob | null> {
  if (request.kind === 'cloud') {
    if (!config?.cloud) {
      toast(config?.cloudMissing?.message ?? 'No HeyGen API key is set up.', 8000);
      return null;
    }
    if (!(await confirmCloud(request, config))) return null;
    request = { ...request, confirmed: true };
  }
  for (;;) {
    try {
      return await studioApi.addJob(request);
    } catch (error) {
      if (error instanceof ApiError && error.conflict) {
        const c = error.conflict;
        const shown = c.taken.slice(0, 4);
        const answer = await ask<'number' | 'replace'>(
          c.taken.length === 1 ? 'This output exists' : `${c.taken.length} outputs exist`,
          [
            h('p', {}, c.message),
            h(
              'ul',
              { class: 'ask-list' },
              shown.map((t) => h('li', {}, h('code', {}, t))),
            ),
            c.taken.length > shown.length ? h('p', {}, `…and ${c.taken.length - shown.length} more.`) : null,
            h('p', { class: 'ask-note' }, 'Nothing is overwritten unless you say so.'),
          ],
          [
            {
              label: c.numbered.length === 1 ? `Keep both (write ${c.numbered[0].split('/').pop()})` : 'Keep both (numbered names)',
              value: 'number',
              primary: true,
              testid: 'keep-both',
            },
            { label: 'Replace', value: 'replace', testid: 'replace' },
          ],
        );
        if (!answer) return null;
        request = { ...request, onConflict: answer };
        continue;
      }
      const problem = error instanceof ApiError ? error.problem : { code: 'error', message: String(error) };
      toast(`${problem.message}${problem.hint ? ` ${problem.hint}` : ''}`, 9000);
      onError?.(problem);
      return null;
    }
  }
}

/** The cloud's cost-relevant parameters, asked once. */
async function confirmCloud(request: NewJobRequest, config: StudioConfig): Promise<boolean> {
  const comp = config.composition;
  const n = request.rows.length;
  const scale = request.params.resolution === '4k' ? 2 : 1;
  const size = comp ? `${comp.width * scale}×${comp.height * scale}` : '?';
  const each = comp?.duration ?? 0;
  const rows: [string, string][] = [
    ['Renders', `${n}`],
    ['Resolution', `${request.params.resolution} (${size})${request.params.resolution === '4k' ? ' · billed 1.5×' : ''}`],
    ['Duration', `${formatSeconds(each)} each${n > 1 ? ` · ${formatSeconds(each * n)} of video in all` : ''}`],
    ['Frame rate', `${request.params.fps} fps`],
    ['Format', `${request.params.format} · ${request.params.quality}`],
    ['Aspect', comp?.aspect ?? `${comp?.width}×${comp?.height} (not 16:9, 9:16 or 1:1: HeyGen will refuse it)`],
    ['Account', `key from ${config.cloud!.source} · ${config.cloud!.apiHost}`],
  ];
  const answer = await ask(
    'Render on HeyGen?',
    [
      h(
        'dl',
        { class: 'cost', 'data-testid': 'cost-summary' },
        rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
      ),
      h(
        'p',
        { class: 'ask-note' },
        n > 1 ? 'The project is uploaded once; each row is one render, billed by HeyGen.' : 'This render is billed by HeyGen.',
      ),
    ],
    [{ label: n > 1 ? `Submit ${n} renders` : 'Submit the render', value: true, primary: true, testid: 'submit-cloud' }],
  );
  return answer === true;
}

export class RenderPanel {
  readonly el: HTMLElement;
  private config: StudioConfig | null = null;
  private readonly jobs = new Map<string, StudioJob>();
  private readonly cards = new Map<string, HTMLElement>();
  private readonly openVideos = new Set<string>();
  private readonly list = h('div', { class: 'job-list', 'data-testid': 'job-list' });
  private readonly form = h('div', { class: 'render-form' });
  private readonly error = h('div', { class: 'render-error', role: 'alert' });
  private hideFinished = false;
  readonly settings: RenderSettings = loadSettings();
  /** Called when the count of running renders changes. */
  onActivity: (running: number) => void = () => {};

  constructor(private readonly ctx: RenderPanelContext) {
    this.el = h(
      'section',
      { class: 'studio-panel render-panel', 'aria-label': 'Render' },
      h('header', {}, h('h2', {}, 'Render'), h('span', { class: 'grow' })),
      this.form,
      this.error,
      h(
        'div',
        { class: 'queue-head' },
        h('h3', {}, 'Queue'),
        h(
          'label',
          { class: 'small-check' },
          h('input', {
            type: 'checkbox',
            onchange: (e: Event) => ((this.hideFinished = (e.target as HTMLInputElement).checked), this.drawList()),
          }),
          'Hide finished',
        ),
        h('button', { class: 'text-button', onclick: () => void this.clearFinished() }, 'Clear finished'),
      ),
      this.list,
    );
    ctx.store.subscribe((_s, changed) => {
      if (changed.has('inFrame') || changed.has('outFrame') || changed.has('fps') || changed.has('frameCount')) this.drawForm();
    });
    this.drawForm();
  }

  setConfig(config: StudioConfig): void {
    const first = !this.config;
    this.config = config;
    if (first && config.composition?.fps && !localStorage.getItem(SETTINGS_KEY)) this.settings.params.fps = config.composition.fps;
    if (!config.cloud && this.settings.kind === 'cloud') this.settings.kind = 'local';
    this.drawForm();
  }

  /** A standing message above the queue (e.g. why the server refuses this page). */
  notice(message: string): void {
    this.error.textContent = message;
  }

  setJobs(jobs: StudioJob[]): void {
    this.jobs.clear();
    for (const j of jobs) this.jobs.set(j.id, j);
    this.drawList();
  }

  upsert(job: StudioJob): void {
    this.jobs.set(job.id, job);
    const card = this.cards.get(job.id);
    if (card && !(this.hideFinished && finished(job))) this.drawCard(card, job);
    else this.drawList();
  }

  remove(id: string): void {
    this.jobs.delete(id);
    this.drawList();
  }

  /** The in/out range at the render's fps, or null. */
  private range(): { first: number; last: number; from: number; to: number } | null {
    const s = this.ctx.store.state;
    if (s.inFrame === null && s.outFrame === null) return null;
    const [a, b] = playRange(s);
    const fps = this.settings.params.fps;
    const from = a / s.fps;
    const to = (b + 1) / s.fps;
    const total = Math.max(1, Math.round(s.duration * fps));
    const first = Math.min(total - 1, Math.round(from * fps));
    return { first, last: Math.max(first, Math.min(total - 1, Math.round(to * fps) - 1)), from, to };
  }

  private request(): NewJobRequest {
    const s = this.settings;
    const range = s.kind === 'local' && s.useRange ? this.range() : null;
    return {
      kind: s.kind,
      composition: this.ctx.entry,
      params: { ...s.params },
      frames: range ? { first: range.first, last: range.last } : null,
      rows: [{ variables: this.ctx.values() }],
      name: s.name.trim() || undefined,
      onConflict: 'ask',
    };
  }

  private drawForm(): void {
    const s = this.settings;
    const cloud = this.config?.cloud ?? null;
    const set = (patch: Partial<StudioParams>) => {
      Object.assign(s.params, patch);
      saveSettings(s);
      this.drawForm();
    };
    const select = (label: string, key: keyof StudioParams, values: string[], disabled: (v: string) => boolean = () => false) =>
      h(
        'label',
        { class: 'field' },
        h('span', {}, label),
        h(
          'select',
          {
            'data-testid': `render-${key}`,
            onchange: (e: Event) => set({ [key]: (e.target as HTMLSelectElement).value } as Partial<StudioParams>),
          },
          values.map((v) => h('option', { value: v, selected: String(s.params[key]) === v, disabled: disabled(v) }, v)),
        ),
      );
    const range = this.range();
    const values = this.ctx.values();
    const changed = Object.keys(values);
    const defaultName = this.defaultName();
    const ext = `.${s.params.format}`;
    const where = h(
      'div',
      { class: 'segmented wide', role: 'group', 'aria-label': 'Where to render' },
      h(
        'button',
        {
          class: s.kind === 'local' ? 'on' : '',
          'data-testid': 'render-local',
          onclick: () => ((s.kind = 'local'), saveSettings(s), this.drawForm()),
        },
        'This machine',
      ),
      h(
        'button',
        {
          class: s.kind === 'cloud' ? 'on' : '',
          'data-testid': 'render-cloud',
          disabled: !cloud,
          title: cloud ? `HeyGen, with the key from ${cloud.source}` : (this.config?.cloudMissing?.hint ?? 'No HeyGen API key is set up'),
          onclick: () => ((s.kind = 'cloud'), saveSettings(s), this.drawForm()),
        },
        'HeyGen cloud',
      ),
    );
    const nameInput = h('input', {
      type: 'text',
      class: 'mono',
      'data-testid': 'render-name',
      placeholder: defaultName,
      value: s.name,
      spellcheck: false,
      oninput: (e: Event) => {
        s.name = (e.target as HTMLInputElement).value;
        out.textContent = `renders/${s.name.trim() || defaultName}${ext}`;
      },
    });
    const out = h('code', { class: 'out-path', 'data-testid': 'render-out' }, `renders/${s.name.trim() || defaultName}${ext}`);
    const fps = h('input', {
      type: 'number',
      min: 1,
      max: 240,
      step: 1,
      value: s.params.fps,
      'data-testid': 'render-fps',
      onchange: (e: Event) => {
        const v = Number((e.target as HTMLInputElement).value);
        set({ fps: v });
      },
    });
    replaceChildren(
      this.form,
      where,
      !cloud && this.config?.cloudMissing
        ? h(
            'p',
            { class: 'form-note' },
            `Cloud renders need a HeyGen API key: ${this.config.cloudMissing.hint ?? this.config.cloudMissing.message}`,
          )
        : null,
      h(
        'div',
        { class: 'field-grid' },
        select('Format', 'format', ['mp4', 'webm', 'mov']),
        select('Quality', 'quality', ['draft', 'standard', 'high']),
        h('label', { class: 'field' }, h('span', {}, 'FPS'), fps),
        select('Resolution', 'resolution', ['1080p', '4k'], (v) => v === '4k' && s.params.format !== 'mp4'),
      ),
      h(
        'label',
        {
          class: `small-check${range && s.kind === 'local' ? '' : ' disabled'}`,
          title:
            s.kind === 'cloud'
              ? 'The cloud renders the whole composition'
              : range
                ? ''
                : 'Set in/out points on the timeline (I and O) first',
        },
        h('input', {
          type: 'checkbox',
          'data-testid': 'render-range',
          checked: s.useRange && !!range && s.kind === 'local',
          disabled: !range || s.kind === 'cloud',
          onchange: (e: Event) => ((s.useRange = (e.target as HTMLInputElement).checked), saveSettings(s), this.drawForm()),
        }),
        range
          ? `Only the in/out range: frames ${range.first}–${range.last} (${range.from.toFixed(2)}–${range.to.toFixed(2)} s)`
          : 'Only the in/out range (none set)',
      ),
      h(
        'div',
        { class: 'values-line', title: changed.length ? JSON.stringify(values, null, 1) : '' },
        changed.length
          ? `Values: ${changed.length} changed (${changed.slice(0, 4).join(', ')}${changed.length > 4 ? '…' : ''})`
          : 'Values: the defaults',
      ),
      h('label', { class: 'field name-field' }, h('span', {}, 'Name'), nameInput),
      h('div', { class: 'out-line' }, 'Writes ', out),
      h(
        'div',
        { class: 'render-actions' },
        h(
          'button',
          { class: 'text-button primary', 'data-testid': 'render-start', onclick: () => void this.start() },
          icon(ICONS.play, { size: 12, filled: true }),
          s.kind === 'cloud' ? ' Render on HeyGen…' : ' Render',
        ),
        h(
          'button',
          {
            class: 'text-button with-icon',
            title: 'The framesmith render command that does the same',
            onclick: () => void this.copyCommand(),
          },
          icon(ICONS.copy, { size: 13 }),
          'Copy command',
        ),
      ),
    );
  }

  private defaultName(): string {
    const stem =
      this.ctx.entry
        .replace(/\.html?$/i, '')
        .split('/')
        .pop() ?? 'video';
    return stem === 'index'
      ? (
          this.ctx.dirLabel
            .replace(/[\\/]+$/, '')
            .split(/[\\/]/)
            .pop() || 'video'
        ).replace(/^\.$/, 'video')
      : stem;
  }

  private async start(): Promise<void> {
    this.error.textContent = '';
    const job = await submitRender(
      this.request(),
      this.config,
      this.ctx.toast,
      (p) => (this.error.textContent = `${p.message}${p.hint ? ` ${p.hint}` : ''}`),
    );
    if (job) {
      this.upsert(job);
      this.ctx.toast(job.kind === 'cloud' ? 'Submitting to HeyGen…' : job.status === 'queued' ? 'Queued' : 'Rendering…', 1600);
    }
  }

  private async copyCommand(): Promise<void> {
    const r = this.request();
    const cmd = renderCommand({
      dir: this.ctx.dirLabel,
      composition: r.composition,
      params: r.params,
      cloud: r.kind === 'cloud',
      frames: r.frames ?? null,
      variables: r.rows[0].variables,
      out: r.name ? `renders/${r.name}.${r.params.format}` : undefined,
    });
    const ok = await copyText(cmd);
    this.ctx.toast(ok ? `Copied: ${cmd}` : 'Could not copy to the clipboard');
  }

  private async clearFinished(): Promise<void> {
    for (const j of [...this.jobs.values()]) if (finished(j)) await studioApi.remove(j.id).catch(() => {});
  }

  private drawList(): void {
    const jobs = [...this.jobs.values()].sort((a, b) => b.createdAt - a.createdAt).filter((j) => !(this.hideFinished && finished(j)));
    for (const id of [...this.cards.keys()]) if (!this.jobs.has(id) || !jobs.some((j) => j.id === id)) this.cards.delete(id);
    replaceChildren(
      this.list,
      jobs.length
        ? jobs.map((j) => {
            let card = this.cards.get(j.id);
            if (!card) {
              card = h('article', { class: 'job', 'data-job': j.id });
              this.cards.set(j.id, card);
            }
            this.drawCard(card, j);
            return card;
          })
        : h(
            'p',
            { class: 'empty' },
            this.jobs.size
              ? 'Only finished renders; untick "Hide finished" to see them.'
              : 'No renders yet. Renders keep going when you reload the page.',
          ),
    );
    this.onActivity([...this.jobs.values()].filter((j) => j.status === 'running' || j.status === 'queued' || j.status === 'cloud').length);
  }

  private drawCard(card: HTMLElement, job: StudioJob): void {
    card.className = `job status-${job.status}`;
    card.dataset.status = job.status;
    const actions: Node[] = [];
    if (job.status === 'queued' || job.status === 'running' || job.status === 'cloud') {
      actions.push(
        h(
          'button',
          {
            class: 'text-button',
            'data-testid': 'job-cancel',
            onclick: () => void studioApi.cancel(job.id).catch((e) => this.ctx.toast((e as Error).message)),
          },
          'Cancel',
        ),
      );
    } else {
      if (job.status === 'failed' || job.status === 'cancelled') {
        // Cloud rows HeyGen still has are followed again rather than rendered (and paid) again.
        const left = job.items.filter((i) => i.status !== 'done');
        const resumes = left.length > 0 && left.every((i) => resumableItem(job.kind, i));
        actions.push(
          h(
            'button',
            {
              class: 'text-button',
              'data-testid': 'job-retry',
              title: resumes ? 'Follow the renders HeyGen has and download them (no new render)' : 'Render again with the same settings',
              onclick: () => void this.retry(job),
            },
            resumes ? 'Resume' : 'Retry',
          ),
        );
      }
      if (job.items.some((i) => i.status === 'done'))
        actions.push(
          h('button', { class: 'text-button', 'data-testid': 'job-reveal', onclick: () => void this.reveal(job) }, 'Open folder'),
        );
      actions.push(
        h(
          'button',
          {
            class: 'icon-button small',
            title: 'Remove from the list (the files stay)',
            'aria-label': 'Remove',
            onclick: () => void studioApi.remove(job.id).catch(() => {}),
          },
          icon(ICONS.close, { size: 12 }),
        ),
      );
    }
    const p = job.progress;
    const pct = p && p.total ? Math.min(100, (p.done / p.total) * 100) : 0;
    const progressText = p
      ? job.kind === 'cloud' && job.status === 'cloud'
        ? `${p.phase}${job.items.length > 1 ? ` · ${p.done}/${p.total} finished` : ''}`
        : p.total
          ? `${p.items && p.items > 1 ? `Video ${p.item} of ${p.items} · ` : ''}${p.done}/${p.total} frames · ${p.fps.toFixed(p.fps < 10 ? 1 : 0)} fps · ${p.etaSeconds === null ? '…' : `${formatSeconds(p.etaSeconds)} left`}`
          : p.phase
      : '';
    const when = job.endedAt && job.startedAt ? formatSeconds((job.endedAt - job.startedAt) / 1000) : '';
    replaceChildren(
      card,
      h(
        'div',
        { class: 'job-head' },
        h('span', { class: `badge ${job.kind}` }, job.kind === 'cloud' ? 'cloud' : 'local'),
        h('span', { class: 'job-title' }, job.title),
        h('span', { class: 'job-status', 'data-testid': 'job-status' }, statusText(job)),
        h('span', { class: 'job-actions' }, actions),
      ),
      h(
        'div',
        { class: 'job-params' },
        paramsText(job.params),
        job.frames ? ` · frames ${job.frames.first}–${job.frames.last}` : '',
        when ? ` · ${when}` : '',
      ),
      job.status === 'running' || job.status === 'cloud' || job.status === 'queued'
        ? h(
            'div',
            { class: 'job-progress' },
            h(
              'div',
              { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(pct) },
              h('div', { class: 'fill', style: { width: `${pct}%` } }),
            ),
            h(
              'div',
              { class: 'progress-text', 'data-testid': 'job-progress' },
              job.status === 'queued' ? 'Waiting for the render before it' : progressText,
            ),
          )
        : null,
      job.error && job.status !== 'done' ? problemBox(job.error) : null,
      job.items.length === 1
        ? this.itemView(job, job.items[0], true)
        : h(
            'ol',
            { class: 'job-items' },
            job.items.slice(0, 200).map((i) => h('li', {}, this.itemView(job, i, false))),
          ),
      job.items.length > 200 ? h('p', { class: 'empty' }, `…and ${job.items.length - 200} more`) : null,
      job.warnings.length
        ? h(
            'details',
            { class: 'job-warnings' },
            h('summary', {}, `${job.warnings.length} warning${job.warnings.length > 1 ? 's' : ''}`),
            h(
              'ul',
              {},
              job.warnings.map((w) => h('li', {}, w)),
            ),
          )
        : null,
      h('details', { class: 'job-command' }, h('summary', {}, 'Command'), h('code', {}, job.command)),
    );
  }

  private itemView(job: StudioJob, item: JobItem, single: boolean): Node {
    const key = `${job.id}/${item.index}`;
    const open = this.openVideos.has(key);
    const label = single ? null : h('span', { class: 'item-label' }, item.row ? `Row ${item.row}` : `#${item.index}`);
    const parts: (Node | null)[] = [label];
    if (item.status === 'done' && item.video) {
      parts.push(
        h(
          'button',
          {
            class: 'text-button with-icon',
            'data-testid': 'item-play',
            onclick: () => (open ? this.openVideos.delete(key) : this.openVideos.add(key), this.upsert(job)),
          },
          icon(open ? ICONS.close : ICONS.play, { size: 11, filled: !open }),
          open ? 'Close' : 'Play',
        ),
        h('code', { class: 'item-path', 'data-testid': 'item-path', title: item.output }, item.output),
        h(
          'span',
          { class: 'item-meta', 'data-testid': 'item-meta' },
          `${item.size !== undefined ? formatBytes(item.size) : ''}${item.wallMs !== undefined ? ` · ${formatSeconds(item.wallMs / 1000)}` : ''}`,
        ),
      );
    } else {
      parts.push(
        h('span', { class: `item-status s-${item.status}` }, itemStatus(item)),
        h('code', { class: 'item-path', title: item.output }, item.output),
      );
    }
    return h(
      'div',
      { class: `job-item s-${item.status}`, 'data-item': item.index },
      h('div', { class: 'item-line' }, parts),
      item.error && item.status !== 'done' && (!job.error || item.error.message !== job.error.message) ? problemBox(item.error) : null,
      open && item.video
        ? h('video', {
            class: 'item-video',
            src: item.video,
            controls: true,
            preload: 'metadata',
            poster: item.thumbnail,
            'data-testid': 'item-video',
          })
        : null,
    );
  }

  private async retry(job: StudioJob): Promise<void> {
    // A cloud retry that submits renders again costs credits again: it asks, as the first submit
    // did (rows HeyGen still has are only followed, which costs nothing more).
    if (job.kind === 'cloud') {
      const left = job.items.filter((i) => i.status !== 'done');
      const again = (left.length ? left : job.items).filter((i) => !resumableItem(job.kind, i));
      if (again.length) {
        if (!this.config?.cloud) return this.ctx.toast(this.config?.cloudMissing?.message ?? 'No HeyGen API key is set up.', 8000);
        const request: NewJobRequest = {
          kind: 'cloud',
          composition: job.composition,
          params: job.params,
          rows: again.map((i) => ({ variables: i.variables })),
        };
        if (!(await confirmCloud(request, this.config))) return;
      }
    }
    try {
      const j = await studioApi.retry(job.id);
      this.upsert(j);
    } catch (error) {
      this.ctx.toast((error as Error).message, 8000);
    }
  }

  private async reveal(job: StudioJob): Promise<void> {
    try {
      const r = await studioApi.reveal(job.id);
      this.ctx.toast(r.ok ? `Opened ${r.folder}/ in the file manager` : (r.message ?? `The file is ${r.file}`), r.ok ? 2600 : 9000);
    } catch (error) {
      this.ctx.toast((error as Error).message, 8000);
    }
  }
}

function finished(j: StudioJob): boolean {
  return j.status === 'done' || j.status === 'failed' || j.status === 'cancelled';
}

function statusText(job: StudioJob): string {
  switch (job.status) {
    case 'queued':
      return 'Queued';
    case 'running':
      return job.progress?.phase === 'Cancelling' ? 'Cancelling…' : 'Rendering';
    case 'cloud':
      return 'In the cloud';
    case 'done':
      return 'Done';
    case 'failed': {
      const ok = job.items.filter((i) => i.status === 'done').length;
      return ok ? `${ok} of ${job.items.length} done` : 'Failed';
    }
    case 'cancelled': {
      // A batch cancelled mid-way keeps the rows it finished: say so on the card.
      const ok = job.items.filter((i) => i.status === 'done').length;
      return ok ? `Cancelled · ${ok} of ${job.items.length} done` : 'Cancelled';
    }
  }
}

function itemStatus(item: JobItem): string {
  if (item.cloudStatus && item.status !== 'failed' && item.status !== 'cancelled' && item.status !== 'downloading')
    return `cloud: ${item.cloudStatus}`;
  return {
    waiting: 'waiting',
    rendering: 'rendering',
    uploading: 'uploading',
    submitted: 'submitted',
    queued: 'queued',
    downloading: 'downloading',
    done: 'done',
    failed: 'failed',
    cancelled: 'cancelled',
    skipped: 'not rendered',
  }[item.status];
}

function problemBox(p: ProblemData): HTMLElement {
  return h(
    'div',
    { class: 'job-error', 'data-testid': 'job-error' },
    h('div', {}, p.message),
    p.hint ? h('div', { class: 'problem-hint' }, p.hint) : null,
  );
}
