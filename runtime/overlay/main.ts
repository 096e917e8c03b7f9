/**
 * The framesmith dev preview page: puts the parts together (top bar, stage with the composition
 * iframe, side panels, transport and timeline), loads the entry named in the URL, and keeps it in
 * step with the dev server: CSS edits swap in place, other edits reload the iframe at the same
 * frame with the same variables, playing or paused as before.
 */
import './overlay.css';
import type { RuntimeProblem } from '../../src/shared/control';
import { DEV_BOOT_PARAM, DEV_STATE_PATH, type DevBootParam, type DevPageConfig, type DevServerMessage, type DevState } from '../../src/shared/dev-protocol';
import type { VariableValues } from '../../src/shared/variables';
import { createActions } from './actions';
import { shellQuote } from './clipboard';
import { Connection } from './connection';
import { h } from './dom';
import { HelpDialog, Toasts } from './help';
import { InstancesPanel } from './instances-panel';
import { bindKeys } from './keyboard';
import { Player } from './player';
import { Preview } from './preview';
import { Problems } from './problems';
import { Stage } from './stage';
import { createStore, type ViewState } from './store';
import { Timeline } from './timeline';
import { Topbar } from './topbar';
import { Transport } from './transport';
import { readUrl, writeUrl } from './url-state';
import { VariablesPanel } from './variables-panel';
import { loadPrefs, savePrefs } from './prefs';
import { exposeTestHandle, type UpdateRecord } from './test-handle';
import { mountStudio } from './studio';

const config = (window as unknown as { __framesmithDevConfig: DevPageConfig }).__framesmithDevConfig;
const url = readUrl();
const entry = url.composition ?? config.defaultComposition;

const store = createStore({
  frame: url.frame ?? 0,
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
const help = new HelpDialog();
const problems = new Problems();
const stage = new Stage(store);
stage.cover.append(problems.overlay);
const updates: UpdateRecord[] = [];
let connection: Connection;

const preview = new Preview(stage.holder, {
  loaded(info, win) {
    store.set({ width: info.width, height: info.height, fps: info.fps, duration: info.duration, frameCount: Math.max(1, info.frameCount) });
    bindKeys(win, keyHandlers);
    document.body.classList.remove('loading');
  },
  problems(list: RuntimeProblem[]) {
    problems.setRuntime(list);
    connection?.send({ type: 'runtime-problems', composition: entry, problems: list });
  },
  painted() {},
});
const player = new Player(store, preview);
const actions = createActions(store, preview, player);
const keyHandlers = {
  actions,
  help: () => help.toggle(),
  escape: () => (help.open ? help.close() : problems.dismiss()),
};

const variables = new VariablesPanel({
  initial: url.vars,
  apply: (values) => void reload('variables', values),
  persist: (values) => writeUrl({ vars: values }),
  renderCommand: () => `framesmith render ${shellQuote(config.dirLabel)}${entry !== 'index.html' ? ` --composition ${shellQuote(entry)}` : ''}`,
  toast: (m) => toasts.show(m),
  fonts: () => [...new Set([...(preview.document?.fonts ?? [])].map((f) => f.family.replace(/^["']|["']$/g, '')))].sort(),
  resolveUrl: (path) => new URL(path, new URL(entryPath(), location.origin)).href,
});
const instances = new InstancesPanel((t) => actions.seek(Math.floor(t * store.state.fps + 1e-6)));
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
});
const transport = new Transport(store, actions);
// The render panel and the dataset view (runtime/overlay/studio.ts).
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
const timeline = new Timeline(store, actions);

document.body.classList.add('loading');
document.body.append(
  h(
    'div',
    { class: 'app' },
    topbar.el,
    h('main', { class: 'workspace' }, stage.el, h('aside', { class: 'side' }, variables.el, instances.el, problems.panel)),
    h('footer', { class: 'bottom' }, transport.el, timeline.el),
  ),
  help.el,
  toasts.el,
);
topbar.set(entry, [], null);
bindKeys(window, keyHandlers);
store.subscribe(savePrefs);

/** `/path/to/entry.html` with each segment encoded. */
function entryPath(): string {
  return `/${entry.split('/').map(encodeURIComponent).join('/')}`;
}

/** The iframe URL: the entry, with the variable values and paint mode for the server to boot it with. */
function iframeSrc(values: VariableValues): string {
  // The preview waits for its own paints (see Preview), so the runtime need not wait for one per seek.
  const boot: DevBootParam = Object.keys(values).length ? { variables: values, paint: 'none' } : { paint: 'none' };
  return `${entryPath()}?${DEV_BOOT_PARAM}=${encodeURIComponent(JSON.stringify(boot))}`;
}

let started = false;
async function reload(reason: string, values = variables.applied(), generation?: number, received?: number): Promise<void> {
  started = true;
  problems.clearModules();
  const loaded = await preview.load(iframeSrc(values), store.state.frame);
  if (loaded) updates.push({ reason, generation, at: performance.now(), frame: preview.shown, marks: preview.lastLoad, received });
}

/** The newest change the server announced: a state read before it is stale. */
let changeGeneration = -1;

function applyState(state: DevState): void {
  if (state.composition !== entry || state.generation < changeGeneration) return;
  const comp = state.model?.composition ?? null;
  topbar.set(entry, state.entries, comp);
  problems.setProject(state.problems, state.fatal);
  variables.setDeclarations(comp?.variables ?? []);
  instances.set(comp?.subCompositions ?? []);
  if (comp && !preview.info) {
    const fps = comp.fps ?? 30;
    store.set({ width: comp.width, height: comp.height, fps, duration: comp.duration, frameCount: Math.max(1, Math.round(comp.duration * fps)) });
  }
  timeline.setComposition(comp);
  studio.refreshConfig();
  if (!started && state.model) void reload('open');
  if (!state.model) document.body.classList.remove('loading');
}

async function onMessage(message: DevServerMessage): Promise<void> {
  if (message.type === 'state') applyState(message.state);
  else if (message.type === 'module-problem') problems.addModule(message.problem);
  else if (message.type === 'deps-reload') await reload('deps');
  else if (message.type === 'change') changeGeneration = Math.max(changeGeneration, message.generation);
  else if (message.type === 'studio') studio.message(message.event);
  if (message.type === 'change' && started) {
    const received = performance.now();
    if (message.kind === 'css' && (await preview.swapStyles(message.files))) {
      updates.push({ reason: 'css', generation: message.generation, at: performance.now(), frame: preview.shown, received });
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
if (Object.keys(url.vars).length) void fetchState();
else void reload('open', {}).finally(fetchState);

let frameTimer: ReturnType<typeof setTimeout> | undefined;
store.subscribe((s, changed) => {
  if (!changed.has('frame') && !changed.has('playing')) return;
  clearTimeout(frameTimer);
  if (!s.playing) frameTimer = setTimeout(() => writeUrl({ frame: s.frame }), 300);
});

exposeTestHandle({ store, preview, updates, problems: () => problems });
