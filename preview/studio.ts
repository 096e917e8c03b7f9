/**
 * Puts the render panel and the dataset view into the preview: two buttons in the top bar, the
 * render panel as a drawer on the right, the dataset view docked at the bottom (the preview
 * above it shrinks rather than being covered). It fetches the queue and the dataset when the page
 * opens (both live on the server, so a reload finds them again) and takes the server's `studio`
 * messages. main.ts calls `mountStudio` once and forwards the messages.
 */
import './studio.css';
import type { DevPageConfig } from '../shared/dev-protocol';
import type { StudioConfig, StudioEvent } from '../shared/studio-protocol';
import type { VariableValues } from '../shared/variables';
import { DatasetView } from './dataset-view';
import { h, icon } from './dom';
import { RenderPanel } from './render-panel';
import type { Store } from './store';
import { ApiError, studioApi } from './studio-api';

export interface StudioMount {
  entry: string;
  config: DevPageConfig;
  store: Store;
  /** The top bar, for the two buttons (put before its last buttons). */
  topbar: HTMLElement;
  /** The values the preview shows. */
  values(): VariableValues;
  /** Shows these values in the preview (as if typed in the variables panel). */
  loadValues(values: VariableValues): void;
  seek(seconds: number): void;
  toast(message: string, ms?: number): void;
}

export interface Studio {
  message(event: StudioEvent): void;
  /** The dev server came back (restarted): fetch everything again. */
  reconnected(): void;
  /** The project changed (state arrived): the composition's facts may have too. */
  refreshConfig(): void;
}

const TABLE_ICON = 'M3 4h18v16H3z|M3 10h18|M3 15h18|M9 4v16';
const RENDER_ICON = 'M4 4h16v12H4z|M8 20h8|M12 16v4|M10 8l4 2-4 2z';

export function mountStudio(m: StudioMount): Studio {
  let config: StudioConfig | null = null;
  const renderPanel = new RenderPanel({ entry: m.entry, dirLabel: m.config.dirLabel, store: m.store, values: m.values, toast: m.toast });
  const dataset = new DatasetView({
    entry: m.entry,
    dirLabel: m.config.dirLabel,
    store: m.store,
    settings: renderPanel.settings,
    config: () => config,
    loadValues: m.loadValues,
    seek: m.seek,
    toast: m.toast,
    visibility: (open) => {
      document.body.classList.toggle('dataset-open', open);
      datasetButton.classList.toggle('on', open);
      datasetButton.setAttribute('aria-pressed', String(open));
      window.dispatchEvent(new Event('resize'));
    },
  });

  const badge = h('span', { class: 'studio-badge', hidden: true });
  const renderButton = h(
    'button',
    {
      class: 'text-button with-icon studio-toggle',
      'data-testid': 'open-render',
      title: 'Render this composition (locally or on HeyGen) and see the queue',
      'aria-pressed': 'false',
      onclick: () => toggleRender(),
    },
    icon(RENDER_ICON, { size: 14 }),
    h('span', { class: 'label' }, 'Render'),
    badge,
  );
  const datasetButton = h(
    'button',
    {
      class: 'text-button with-icon studio-toggle',
      'data-testid': 'open-dataset',
      title: 'One bundle, many videos: rows of values from a CSV or JSON file',
      'aria-pressed': 'false',
      onclick: () => dataset.toggle(),
    },
    icon(TABLE_ICON, { size: 14 }),
    h('span', { class: 'label' }, 'Dataset'),
  );
  const drawer = h('aside', { class: 'render-drawer', hidden: true, 'data-testid': 'render-panel' }, renderPanel.el);
  const closeRender = h(
    'button',
    { class: 'icon-button', title: 'Close', 'aria-label': 'Close the render panel', onclick: () => toggleRender(false) },
    icon('M18 6L6 18|M6 6l12 12', { size: 14 }),
  );
  renderPanel.el.querySelector('header')?.append(closeRender);

  function toggleRender(force?: boolean): void {
    const open = force ?? drawer.hidden;
    drawer.hidden = !open;
    document.body.classList.toggle('render-open', open);
    renderButton.classList.toggle('on', open);
    renderButton.setAttribute('aria-pressed', String(open));
    window.dispatchEvent(new Event('resize'));
  }

  renderPanel.onActivity = (n) => {
    badge.hidden = n === 0;
    badge.textContent = String(n);
  };

  // Before the top bar's last group (help, connection), else at its end.
  const group = h('div', { class: 'studio-buttons' }, renderButton, datasetButton);
  const anchor = [...m.topbar.children].find((c) => c.classList.contains('spacer'));
  if (anchor?.nextSibling) m.topbar.insertBefore(group, anchor.nextSibling);
  else m.topbar.append(group);
  document.body.append(drawer, dataset.el);

  async function loadConfig(): Promise<void> {
    try {
      config = await studioApi.config(m.entry);
      renderPanel.setConfig(config);
      if (config.dataFile && !dataset.isOpen) dataset.toggle(true);
    } catch (error) {
      // Refused (a page opened from another device with --host): say why in the panel.
      if (error instanceof ApiError && error.status === 403) renderPanel.notice(error.problem.message);
      /* otherwise the server is away: the connection status says so */
    }
  }
  async function loadJobs(): Promise<void> {
    try {
      renderPanel.setJobs(await studioApi.jobs());
    } catch {
      /* idem */
    }
  }
  void loadConfig();
  void loadJobs();

  let configTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    message(event) {
      if (event.kind === 'job') renderPanel.upsert(event.job);
      else if (event.kind === 'job-removed') renderPanel.remove(event.id);
      else dataset.message(event);
    },
    reconnected() {
      void loadConfig();
      void loadJobs();
      if (dataset.isOpen) void dataset.refresh();
    },
    refreshConfig() {
      clearTimeout(configTimer);
      configTimer = setTimeout(() => void loadConfig(), 100);
    },
  };
}
