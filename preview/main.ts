/**
 * The framesmith dev preview page: puts the parts together (top bar, stage with the composition
 * iframe, side panels, transport and timeline), loads the entry named in the URL, and keeps it in
 * step with the dev server: CSS edits swap in place, other edits reload the iframe at the same
 * frame with the same variables, playing or paused as before. It opens on the frame last looked
 * at in this project (or, the first time, on the first frame with something drawn).
 */
import './overlay.css';
import type { RuntimeProblem } from '../shared/control';
import {
  DEV_BOOT_PARAM,
  DEV_BOOT_PATH,
  DEV_STATE_PATH,
  type DevBootParam,
  type DevPageConfig,
  type DevServerMessage,
  type DevState,
} from '../shared/dev-protocol';
import type { LiveDescription } from '../shared/live';
import type { VariableValues } from '../shared/variables';
import { createActions } from './actions';
import { shellQuote } from './clipboard';
import { Connection } from './connection';
import { h } from './dom';
import { openInEditor } from './editor-link';
import { FilmstripClient } from './filmstrip-client';
import { HelpDialog, Toasts } from './help';
import { InstancesPanel } from './instances-panel';
import { bindKeys, type KeyHandlers } from './keyboard';
import { VideoThumbs } from './media-art';
import { Player } from './player';
import { lastFrame, loadPrefs, saveLastFrame, savePrefs } from './prefs';
import { Preview } from './preview';
import { Problems, type VariableRef } from './problems';
import { PEAKS_PER_SECOND, Sound } from './sound';
import { clampZoom, LABEL_ROOM, Stage } from './stage';
import { createStore, type ViewState } from './store';
import { exposeTestHandle, type UpdateRecord } from './test-handle';
import { Timeline, type TimelineArt } from './timeline';
import { Topbar } from './topbar';
import { Transport } from './transport';
import { readUrl, writeUrl } from './url-state';
import { VariablesPanel } from './variables-panel';
import { mountStudio } from './studio';

const config = (window as unknown as { __framesmithDevConfig: DevPageConfig }).__framesmithDevConfig;
const url = readUrl();
const entry = url.composition ?? config.defaultComposition;
const remembered = lastFrame(config.projectId, entry);
/** Nothing says which frame to show: look for the first one with something drawn. */
let firstOpen = url.frame === null && remembered === null;

const store = createStore({
  frame: url.frame ?? remembered ?? 0,
  frameCount: 1,
  fps: 30,
  duration: 0,
  width: 1920,
  height: 1080,
  playing: null,
  inFrame: null,
  outFrame: null,
  ...loadPrefs(),
} as ViewState);

const toasts = new Toasts();
const toast = (m: string, ms?: number) => toasts.show(m, ms);
const help = new HelpDialog();
let assets: import('../shared/model').AssetRef[] = [];

// ---- which variable a runtime problem comes from

const problemKey = (p: RuntimeProblem) => `${p.kind}|${p.code}|${p.message}|${p.loc?.file}:${p.loc?.line}`;
/** Problems that appeared right after a variable changed, with the value it had then. */
const attributions = new Map<string, { id: string; value: string }>();
/** The reload in flight was caused by these variable edits; the problems before it. */
let pendingEdit: { ids: string[]; before: Set<string> } | null = null;
let currentRuntime: RuntimeProblem[] = [];
/** Problems seen in a document that had every variable at its default: never a value's fault. */
const seenWithDefaults = new Set<string>();
/** The boot of the document shown has no variable values. */
let showingDefaults = true;

function variableFor(p: RuntimeProblem): VariableRef | null {
  if (!variables) return null;
  const decls = variables.declared;
  const ref = (id: string): VariableRef | null => {
    const d = decls.find((x) => x.id === id);
    return d ? { id, label: d.label } : null;
  };
  if (p.kind === 'asset' && p.url) {
    // A load that fails for the URL a variable's value names.
    for (const d of decls) {
      const v = variables.valueOf(d.id);
      const src = typeof v === 'string' ? v : v && typeof v === 'object' ? (v as { url?: unknown }).url : undefined;
      if (typeof src !== 'string' || !src || (d.type !== 'image' && d.type !== 'string')) continue;
      try {
        if (new URL(src, new URL(entryPath(), location.origin)).href === new URL(p.url, location.origin).href) return ref(d.id);
      } catch {
        /* not a URL */
      }
    }
  }
  const a = attributions.get(problemKey(p));
  if (a && JSON.stringify(variables.valueOf(a.id)) === a.value) return ref(a.id);
  return null;
}

const problems = new Problems({
  variableFor,
  assets: () => assets,
  toast,
  showVariable: (id) => variables.focusVariable(id),
});
const stage = new Stage(store);
stage.cover.append(problems.overlay);
const updates: UpdateRecord[] = [];
/** What the timeline's tweens and labels came from, to notice tweens a script added later. */
let lastLive: LiveDescription | null = null;

let connection: Connection;
let lastBusy = 0;
const videoThumbs = new VideoThumbs();

function busy(): void {
  videoThumbs.busy(700);
  const now = performance.now();
  if (now - lastBusy < 250) return;
  lastBusy = now;
  connection?.send({ type: 'busy', ms: 700 });
}

const preview = new Preview(stage.holder, {
  loaded(info, win) {
    store.set({ width: info.width, height: info.height, fps: info.fps, duration: info.duration, frameCount: Math.max(1, info.frameCount) });
    if (firstOpen) {
      firstOpen = false;
      store.set({ frame: preview.shown });
    }
    bindKeys(win, keyHandlers);
    document.body.classList.remove('loading');
  },
  problems(list: RuntimeProblem[]) {
    currentRuntime = list;
    if (showingDefaults) for (const p of list) seenWithDefaults.add(problemKey(p));
    // An error that appears right after a variable's value changed, and never with the
    // defaults, is that value's doing.
    if (pendingEdit) {
      const edited = pendingEdit.ids[pendingEdit.ids.length - 1];
      for (const p of list) {
        const k = problemKey(p);
        if (edited && !pendingEdit.before.has(k) && !seenWithDefaults.has(k) && (p.kind === 'page-error' || p.kind === 'asset')) {
          attributions.set(k, { id: edited, value: JSON.stringify(variables.valueOf(edited)) });
        }
      }
    }
    problems.setRuntime(list);
    // The terminal gets a bounded copy (a 1 MB value must not travel in every message).
    connection?.send({
      type: 'runtime-problems',
      composition: entry,
      problems: list.slice(0, 200).map((p) => ({ ...p, message: p.message.slice(0, 2000) })),
    });
  },
  painted() {},
  described(live: LiveDescription | null) {
    lastLive = live;
    timeline.setLive(live);
    sound.setTracks(live);
    transport.setHasSound(sound.hasSound);
  },
  seeking: busy,
});
const player = new Player(store, preview);
const actions = createActions(store, preview, player);
const sound = new Sound(store, player);
sound.onProblems = (list) => problems.setSound(list);

const filmstrip = new FilmstripClient((m) => connection?.send(m));
const art: TimelineArt = {
  filmstrip: (frame, within) => filmstrip.nearest(frame, within),
  wantFilmstrip: (frames, height) => filmstrip.want(frames, height),
  filmstripNote: () => filmstrip.note(),
  waveform: (src) => sound.peaks(src),
  peaksPerSecond: PEAKS_PER_SECOND,
  videoThumb: (src, t, within) => videoThumbs.nearest(src, t, within),
  wantVideoThumbs: (src, times) => videoThumbs.want(src, times),
};
const timeline = new Timeline(store, actions, {
  openEditor: (loc) => void openInEditor(loc, toast),
  art,
  scrubbing: (active) => {
    sound.setScrubbing(active);
    if (active) busy();
  },
});
sound.onDecoded = () => timeline.artChanged();
filmstrip.onChange = () => timeline.artChanged();
videoThumbs.onChange = () => timeline.artChanged();

const keyHandlers: KeyHandlers = {
  actions,
  help: () => help.toggle(),
  escape: () => (help.open ? help.close() : problems.listOpen ? problems.closeList() : problems.dismiss()),
  fullscreen: () => void stage.toggleFullscreen().then((ok) => ok || toast('The browser refused fullscreen.')),
  mute: () => store.set({ muted: !store.state.muted }),
  zoom: (step) => store.set({ zoom: step === 0 ? 'fit' : clampZoom(stage.scale * (step > 0 ? 1.25 : 0.8)) }),
};

const controlContext = {
  fonts: () => [...new Set([...(preview.document?.fonts ?? [])].map((f) => f.family.replace(/^["']|["']$/g, '')))].sort(),
  resolveUrl: (path: string) => new URL(path, new URL(entryPath(), location.origin)).href,
};
const variables: VariablesPanel = new VariablesPanel({
  initial: url.vars,
  apply: (values, changed) => {
    pendingEdit = { ids: changed, before: new Set(currentRuntime.map(problemKey)) };
    for (const id of changed) for (const [k, a] of attributions) if (a.id === id) attributions.delete(k);
    void reload('variables', values);
  },
  persist: (values) => writeUrl({ vars: values }),
  renderCommand: () =>
    `framesmith render ${shellQuote(config.dirLabel)}${entry !== 'index.html' ? ` --composition ${shellQuote(entry)}` : ''}`,
  toast,
  ...controlContext,
});
const instances = new InstancesPanel({
  jump: (t) => actions.seek(Math.floor(t * store.state.fps + 1e-6)),
  initial: url.inst,
  apply: () => void reload('instances'),
  persist: (values) => writeUrl({ inst: values }),
  toast,
  ...controlContext,
});
problems.onChange = (list) => {
  const marks = new Map<string, string>();
  for (const p of list)
    if (p.variable && !marks.has(p.variable.id))
      marks.set(
        p.variable.id,
        `The page fails with this value: ${p.message}${p.loc ? ` (${p.loc.file}${p.loc.line ? `:${p.loc.line}` : ''})` : ''}`,
      );
  variables.markRuntime(marks);
};
problems.refresh();
const topbar = new Topbar({
  store,
  chooseEntry: (e) => {
    if (e === entry) return;
    const next = new URL(location.href);
    next.search = '';
    next.searchParams.set('composition', e);
    location.href = next.href;
  },
  jump: (t) => actions.seek(Math.floor(t * store.state.fps + 1e-6)),
  help: () => help.toggle(),
  fullscreen: () => keyHandlers.fullscreen(),
  badge: problems.badge,
  popover: problems.popover,
});
stage.onScale = (s) => topbar.setScale(s);
const transport = new Transport(store, actions);

// The timeline's height is dragged on its top edge.
const resizer = h('div', {
  class: 'tl-resizer',
  title: 'Drag to resize the timeline',
  role: 'separator',
  'aria-orientation': 'horizontal',
});
resizer.addEventListener('pointerdown', (e) => {
  const startY = e.clientY;
  const startH = store.state.timelineHeight;
  resizer.setPointerCapture(e.pointerId);
  const move = (ev: PointerEvent) =>
    store.set({ timelineHeight: Math.round(Math.min(window.innerHeight - 200, Math.max(110, startH + startY - ev.clientY))) });
  const up = () => (resizer.removeEventListener('pointermove', move), resizer.removeEventListener('pointerup', up));
  resizer.addEventListener('pointermove', move);
  resizer.addEventListener('pointerup', up);
  e.preventDefault();
});
// The side column: one element per panel, top to bottom (a new panel is a class of its own file
// with an `el`, appended here; the problems list lives in the top bar's badge, not here).
const side = h('aside', { class: 'side' }, variables.el, instances.el);
const app = h('div', { class: 'app' }, topbar.el, stage.el, side, h('footer', { class: 'bottom' }, resizer, transport.el, timeline.el));
/**
 * The layout: the timeline is as tall as its rows (up to the height the user dragged it to); a
 * portrait picture in a wide window gets the full height on the left, with the transport and
 * timeline beside it instead of under it.
 */
function applyLayout(): void {
  const s = store.state;
  app.classList.toggle('side-hidden', s.sideHidden);
  timeline.el.style.setProperty('--tl-height', `${Math.min(s.timelineHeight, timeline.naturalHeight)}px`);
  const w = window.innerWidth;
  const hgt = window.innerHeight;
  const portrait = s.height > s.width * 1.15 && w >= 960 && w / hgt > 1.25;
  app.classList.toggle('portrait', portrait);
  if (portrait) {
    const labels = s.guides || s.safeZone !== 'none' ? 2 * LABEL_ROOM : 0;
    const want = ((hgt - 44 - 32) * s.width) / s.height + 32 + labels;
    const room = w - (s.sideHidden ? 0 : 320);
    app.style.setProperty('--stage-w', `${Math.round(Math.max(260, Math.min(want, room * (labels ? 0.58 : 0.5))))}px`);
  }
}
applyLayout();
timeline.onNaturalHeight = () => applyLayout();
window.addEventListener('resize', () => applyLayout());
store.subscribe((_s, changed) => {
  if (['sideHidden', 'timelineHeight', 'width', 'height', 'guides', 'safeZone'].some((k) => changed.has(k as keyof ViewState)))
    applyLayout();
});
// The render panel and the dataset view (preview/studio.ts).
const studio = mountStudio({
  entry,
  config,
  store,
  topbar: topbar.el,
  values: () => variables.applied(),
  loadValues: (values) => variables.load(values),
  seek: (t) => actions.seek(Math.floor(t * store.state.fps + 1e-6)),
  toast: (m, ms) => toasts.show(m, ms),
});

document.body.classList.add('loading');
document.body.append(app, help.el, toasts.el);
topbar.set(entry, [], null);
bindKeys(window, keyHandlers);
store.subscribe(savePrefs);

/** `/path/to/entry.html` with each segment encoded. */
function entryPath(): string {
  return `/${entry.split('/').map(encodeURIComponent).join('/')}`;
}

/** The iframe's boot parameter (JSON): the values and paint mode; a large one is stashed on the server. */
async function bootParam(values: VariableValues, inst: Record<string, VariableValues>): Promise<string> {
  // The preview waits for its own paints (see Preview), so the runtime need not wait for one per seek.
  const boot: DevBootParam = { paint: 'none' };
  if (Object.keys(values).length) boot.variables = values;
  if (Object.keys(inst).length) boot.instances = inst;
  const json = JSON.stringify(boot);
  if (json.length <= 6000) return json;
  try {
    const res = await fetch(DEV_BOOT_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
    const body = (await res.json()) as { ref?: string; message?: string };
    if (res.ok && body.ref) return JSON.stringify({ ref: body.ref });
    toast(`The values could not be applied: ${body.message ?? `HTTP ${res.status}`}`, 8000);
  } catch (error) {
    toast(`The values could not be applied: ${(error as Error).message}`, 8000);
  }
  return JSON.stringify({ paint: 'none' });
}

let started = false;
let lastBoot = '';
async function reload(reason: string, values = variables.applied(), generation?: number, received?: number): Promise<void> {
  started = true;
  // A reload is work the filmstrip should not compete with, like a seek.
  busy();
  problems.clearModules();
  const inst = instances.applied();
  const boot = await bootParam(values, inst);
  lastBoot = boot;
  showingDefaults = !Object.keys(values).length && !Object.keys(inst).length;
  const asked = performance.now();
  const loaded = await preview.load(`${entryPath()}?${DEV_BOOT_PARAM}=${encodeURIComponent(boot)}`, store.state.frame, {
    firstDrawn: firstOpen,
  });
  const painted = preview.lastLoad.start >= asked ? preview.lastLoad.painted : undefined;
  if (reason === 'variables' && loaded) pendingEdit = null;
  if (loaded) {
    // When the new frame was painted (the timeline and sound are set up after that).
    updates.push({ reason, generation, at: painted ?? performance.now(), frame: preview.shown, marks: preview.lastLoad, received });
    filmstrip.setSource(entry, boot, Math.max(0, changeGeneration));
  }
}

/** The newest change the server announced: a state read before it is stale. */
let changeGeneration = -1;

function applyState(state: DevState): void {
  if (state.composition !== entry || state.generation < changeGeneration) return;
  const comp = state.model?.composition ?? null;
  assets = state.model?.assets ?? [];
  topbar.set(entry, state.entries, comp);
  problems.setProject(state.problems, state.fatal);
  variables.setDeclarations(comp?.variables ?? []);
  instances.set(comp);
  if (comp && !preview.info) {
    const fps = comp.fps ?? 30;
    store.set({
      width: comp.width,
      height: comp.height,
      fps,
      duration: comp.duration,
      frameCount: Math.max(1, Math.round(comp.duration * fps)),
    });
  }
  timeline.setModel(comp, entry);
  studio.refreshConfig();
  if (!started && state.model) void reload('open');
  if (!state.model) document.body.classList.remove('loading');
}

async function onMessage(message: DevServerMessage): Promise<void> {
  if (message.type === 'state') applyState(message.state);
  else if (message.type === 'module-problem') problems.addModule(message.problem);
  else if (message.type === 'deps-reload') await reload('deps');
  else if (message.type === 'change') changeGeneration = Math.max(changeGeneration, message.generation);
  else if (message.type === 'thumb' || message.type === 'filmstrip-error') filmstrip.receive(message);
  else if (message.type === 'studio') studio.message(message.event);
  if (message.type === 'change' && started) {
    const received = performance.now();
    if (message.kind === 'css' && (await preview.swapStyles(message.files))) {
      updates.push({
        reason: 'css',
        generation: message.generation,
        at: performance.now(),
        frame: preview.shown,
        marks: preview.lastLoad,
        received,
      });
      filmstrip.setSource(entry, lastBoot, message.generation);
    } else {
      await reload('change', undefined, message.generation, received);
    }
    connection.send({ type: 'updated', generation: message.generation });
  }
}

let wasOffline = false;
connection = new Connection({
  hello: () => ({ type: 'watch', composition: entry }),
  status: (connected) => {
    topbar.setConnected(connected);
    // The server restarted: its generations start again, and files may have changed meanwhile.
    if (connected && wasOffline) {
      changeGeneration = -1;
      void fetchState().then(() => reload('reconnect'));
      studio.reconnected();
    }
    wasOffline = !connected;
  },
  message: (m) => void onMessage(m).catch((e) => console.error('framesmith dev:', e)),
});

const fetchState = () =>
  fetch(`${DEV_STATE_PATH}?composition=${encodeURIComponent(entry)}`)
    .then((r) => r.json() as Promise<DevState>)
    .then(applyState)
    .catch((e) => toasts.show(`Could not read the project: ${(e as Error).message}`, 6000));
// Without values in the URL there is nothing to check first: show the frame at once and read
// the project (parse and lint, the server's slowest answer) after it. With values, the
// declarations are needed first to check them.
if (Object.keys(url.vars).length || Object.keys(url.inst).length) void fetchState();
else void reload('open', {}).finally(fetchState);

const liveShape = (live: LiveDescription | null) =>
  live?.compositions.map((c) => `${c.key}:${c.tweens.length}:${c.labels.length}:${c.timelineDuration}`).join('|') ?? '';
/** Reads the live timelines again (a script may have added tweens or labels while it played); redraws when they changed. */
function refreshLive(): void {
  if (!lastLive) return;
  const live = preview.describe();
  if (!live || liveShape(live) === liveShape(lastLive)) return;
  lastLive = live;
  timeline.setLive(live);
}

let frameTimer: ReturnType<typeof setTimeout> | undefined;
store.subscribe((s, changed) => {
  if (!changed.has('frame') && !changed.has('playing')) return;
  clearTimeout(frameTimer);
  if (!s.playing)
    frameTimer = setTimeout(() => {
      writeUrl({ frame: s.frame });
      saveLastFrame(config.projectId, entry, s.frame);
      refreshLive();
    }, 300);
});

exposeTestHandle({ store, preview, updates, problems, timeline, sound, filmstrip, videoThumbs, stage });
