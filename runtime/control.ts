/**
 * The runtime's heart: loads the composition (root, sub-compositions, timed elements), then
 * answers seeks from our tools through `window.__framesmith` (see shared/control.ts).
 * A seek moves the virtual clock, the GSAP timelines, clip visibility, CSS/Web animations and
 * media, waits for fonts and images, and (in 'raf' paint mode) for a real paint.
 *
 * What it decides the way HeyGen's renderer (hyperframes 0.8.170) does:
 * - timing: every clip's window (timing.ts), and one timeline per frame: the root's, with every
 *   composition's timeline added at its start (timelines.ts);
 * - readiness: every element with data-composition-id (the root, each sub-composition) needs a
 *   registered timeline unless it has data-no-timeline. The engine waits up to 45 s for them; it
 *   refuses the render when one is still missing and a composition script threw or a script
 *   failed to load, and renders without the missing ones' animation otherwise. Here the wait
 *   ends as soon as nothing can register them any more (no timer, no request pending), and the
 *   same outcome is reported: a fatal `timeline_script_failure` or a `timeline_not_registered`
 *   warning. A script error alone does not stop a render (the engine renders through it).
 */
import type { BootOptions, FramesmithControl, ReadyInfo, RuntimeProblem, SeekResult } from '../shared/control';
import { DEFAULT_FPS } from '../shared/model';
import { frameCount } from '../shared/time';
import type { VariableValues } from '../shared/variables';
import { animationsChangeBetween, seekAnimations } from './animations';
import type { VirtualClock } from './clock';
import { mediaEnd, prepareMedia, seekMedia } from './media';
import { native, nextPaint, sleep } from './native';
import { pendingRequests } from './pending';
import { displayUrl, locationFromStack, type ProblemCollector } from './problems';
import { collectTimed, findRoot, readScene, type Scene } from './scene';
import { mountSubCompositions, type MountedInstance } from './subcompositions';
import type { Batching } from './timeline-batching';
import {
  activeIntervals,
  bindTimelines,
  hasSeekCallbacks,
  hasTimeline,
  registry,
  seekBound,
  takeOverGsap,
  type BoundTimelines,
  type CompositionTimeline,
} from './timelines';
import { createTimingResolver, playbackRateOf, playbackStartOf, timelineLength } from './timing';
import { applyPageSetup } from './page-setup';
import { describeScene, drawsSomething } from './inspect';
import { applyBindings } from './variables';

/** A forward jump on a page whose timelines run callbacks poses every frame of its last this many seconds. */
const STEPPED_SECONDS = 10;
import { applyVisibility, boundaryBetween } from './visibility';

export const RUNTIME_VERSION = '2';

/** HeyGen's renderer waits this long for timelines before giving up on them. */
const ENGINE_TIMELINE_WAIT_MS = 45_000;
/** At most this many timers run early while waiting for timelines (an endless interval stops here). */
const MAX_EARLY_TIMERS = 10_000;

export interface RuntimeDeps {
  clock: VirtualClock;
  problems: ProblemCollector;
  boot: BootOptions;
  batching: Batching;
  /** Resolves once the page's body scripts ran, deferred as HeyGen's renderer defers them. */
  bodyScripts: Promise<void>;
  rootValues: () => VariableValues;
  applyRootBindings: (root: Element) => void;
}

/** A composition element that needs a registered timeline. */
interface Expected {
  el: Element;
  id: string;
  timeline: () => unknown;
  file: string;
}

export function createControl(deps: RuntimeDeps): FramesmithControl & { instances: MountedInstance[] } {
  const { clock, problems, boot, batching } = deps;
  const file = displayUrl(window.location.href.split(/[?#]/)[0]) || 'index.html';
  let scene: Scene | null = null;
  let fps = boot.fps ?? DEFAULT_FPS;
  let instances: MountedInstance[] = [];
  let bound: BoundTimelines | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let current = 0;
  /** Root-time start of the composition an element belongs to (its host's start). */
  const compositionStarts = new Map<Element, number>();
  const offsetOf = (el: Element | null): number => {
    for (let e = el; e; e = e.parentElement) {
      const o = compositionStarts.get(e);
      if (o !== undefined) return o;
    }
    return 0;
  };

  async function load(): Promise<ReadyInfo> {
    if (document.readyState === 'loading') await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));
    await deps.bodyScripts;
    const root = findRoot(document);
    if (!root) {
      problems.add({
        kind: 'contract',
        code: 'root_missing',
        message: 'The page has no composition root (an element with data-composition-id in <body>).',
        hint: 'Wrap the composition in <div id="root" data-composition-id="main" data-width="1920" data-height="1080" data-start="0" data-duration="10">.',
        loc: { file, line: 0, column: 0 },
        fatal: true,
      });
      return info();
    }
    scene = readScene(root, problems, file);
    fps = boot.fps ?? scene.fps ?? DEFAULT_FPS;
    applyPageSetup(root, scene.width, scene.height);
    deps.applyRootBindings(root);
    // Every host on the page, as HeyGen's compiler inlines them all (not only those inside the root).
    instances = await mountSubCompositions(document.body, problems, deps.rootValues());
    // The engine binds variables after the composition scripts ran, so bindings win over what a
    // script wrote into the same element; bind again now for the same result.
    deps.applyRootBindings(root);
    for (const inst of instances) applyBindings(inst.root, inst.values);
    prepareMedia(document);
    if (document.readyState !== 'complete') await new Promise((r) => window.addEventListener('load', r, { once: true }));
    await document.fonts.ready;
    takeOverGsap();
    batching.flush();
    await awaitTimelines(scene);
    batching.flush();
    bind(scene);
    await seekTo(0);
    return info();
  }

  /** Every element with data-composition-id that needs a timeline, with where it would be registered. */
  function expectedTimelines(s: Scene): Expected[] {
    const out: Expected[] = [];
    const innerRoots = new Set<Element>(instances.map((i) => i.root));
    const hosts = new Map(instances.map((i) => [i.host as Element, i]));
    const skip = (el: Element) => el.hasAttribute('data-no-timeline');
    if (!skip(s.root)) out.push({ el: s.root, id: s.compositionId, timeline: () => registry()[s.compositionId], file });
    // The engine checks every element with data-composition-id on the page.
    for (const el of document.body.querySelectorAll('[data-composition-id]')) {
      if (innerRoots.has(el) || el === s.root) continue;
      const inst = hosts.get(el);
      if (inst) {
        if (!skip(el) && !skip(inst.root)) out.push({ el, id: inst.compositionId, timeline: () => inst.timeline, file: inst.file });
        continue;
      }
      const id = el.getAttribute('data-composition-id') ?? '';
      if (id && !skip(el)) out.push({ el, id, timeline: () => registry()[id], file });
    }
    return out;
  }

  /** Script errors and failed script loads so far: what makes a missing timeline a refusal. */
  function scriptFailures(): RuntimeProblem[] {
    return problems.list.filter(
      (p) =>
        ((p.kind === 'page-error' && !!p.loc?.file && !/^[a-z]+:\/\//i.test(p.loc.file)) ||
          (p.kind === 'asset' && (p.code === 'subcomposition_script_failed' || /^Failed to load <script>/.test(p.message)))) &&
        p.time === undefined,
    );
  }

  /** Waits, as the engine does, until every composition has a timeline or none can come any more. */
  async function awaitTimelines(s: Scene): Promise<void> {
    const limit = boot.timelineTimeoutMs ?? ENGINE_TIMELINE_WAIT_MS;
    const started = native.now();
    const missing = () => expectedTimelines(s).filter((e) => !e.timeline());
    let early = 0;
    for (;;) {
      batching.flush();
      if (!missing().length) return;
      // Timers would run on real time while the engine waits: run the next one now.
      if (early < MAX_EARLY_TIMERS && clock.runNextTimerEarly()) {
        early++;
        if (early % 50 === 0) await sleep(0);
        else await Promise.resolve();
        continue;
      }
      await sleep(0);
      if (pendingRequests() > 0 && native.now() - started < limit) {
        await sleep(25);
        continue;
      }
      break;
    }
    const still = missing();
    if (!still.length) return;
    const failures = scriptFailures();
    const names = `composition${still.length > 1 ? 's' : ''} ${still.map((e) => `"${e.id}"${e.file !== file ? ` (${e.file})` : ''}`).join(', ')}`;
    const registered = Object.keys(registry()).filter((k) => registry()[k]);
    if (failures.length) {
      // The error a script threw says most; a script that failed to load comes next.
      const thrown = failures.find((p) => p.kind === 'page-error');
      const first = thrown ?? failures[0];
      const where = first.loc?.file ? ` at ${first.loc.file}${first.loc.line ? `:${first.loc.line}` : ''}` : '';
      const loads = failures.filter((p) => p.kind === 'asset').map((p) => p.url ?? p.message);
      const cause = batching.reads.at(-1);
      problems.add({
        kind: 'timeline',
        code: 'timeline_script_failure',
        message:
          `No timeline was registered for ${names}: ${thrown ? `a script threw "${thrown.message}"${where}` : first.message}` +
          `${thrown && loads.length ? `; a script failed to load: ${loads.join(', ')}` : ''}. ` +
          `HeyGen's renderer refuses this render (sub_timeline_script_failure).` +
          (cause
            ? ` Cause: \`tl.${cause.property}\` is undefined in HeyGen's renderer${cause.loc ? ` (${cause.loc.file}:${cause.loc.line})` : ''}.`
            : ''),
        hint: cause
          ? `${cause.fix[0].toUpperCase()}${cause.fix.slice(1)}.`
          : first.kind === 'asset'
            ? 'Fix the script reference: the file must be in the project, loaded with a relative path.'
            : 'Fix the script error so the script reaches the line that registers the timeline.',
        loc: cause?.loc ?? first.loc ?? { file, line: 0, column: 0 },
        fatal: true,
      });
      return;
    }
    problems.add({
      kind: 'timeline',
      code: 'timeline_not_registered',
      message:
        `No GSAP timeline was registered for ${names}${registered.length ? ` (registered: ${registered.join(', ')})` : ''}. ` +
        `HeyGen's renderer waits 45 s for it, then renders without its animation.`,
      hint: `Register it synchronously: window.__timelines["${still[0].id}"] = tl; — or add data-no-timeline to the element if it has no timeline.`,
      loc: { file: still[0].file, line: 0, column: 0 },
      fatal: false,
    });
  }

  /** Resolves every clip window and builds the one timeline frames seek. */
  function bind(s: Scene): void {
    const hosts = new Map(instances.map((i) => [i.host as Element, i]));
    const timelineOf = (el: Element) => hosts.get(el)?.timeline ?? registry()[el.getAttribute('data-composition-id') ?? ''];
    const resolver = createTimingResolver(document, timelineOf);
    s.timed = collectTimed(document.body, resolver, fps, s.root);
    for (const n of s.timed) if (n.el instanceof HTMLMediaElement) n.end = mediaEnd(n);
    compositionStarts.clear();
    const children: CompositionTimeline[] = [];
    const innerRoots = new Set(instances.map((i) => i.root as Element));
    const seen = new Set<unknown>();
    for (const el of document.body.querySelectorAll('[data-composition-id]')) {
      if (innerRoots.has(el) || el === s.root) continue;
      const start = resolver.startOf(el, 0);
      const playbackStart = playbackStartOf(el);
      compositionStarts.set(el, start - playbackStart);
      const inst = hosts.get(el);
      if (inst) compositionStarts.set(inst.root, start - playbackStart);
      const tl = timelineOf(el);
      // The engine seeks each registered timeline once, for the first element with its id.
      if (tl && !seen.has(tl)) children.push({ timeline: tl, start, playbackStart, rate: playbackRateOf(el), el });
      seen.add(tl);
    }
    // Only compositions inside the root are added to its timeline; every one is sought on its own.
    bound = bindTimelines(s.noTimeline ? null : registry()[s.compositionId], children, (tl) => {
      const c = children.find((k) => k.timeline === tl);
      return !!c && !!c.el && s.root.contains(c.el);
    });
    if (!(s.duration > 0)) s.duration = engineDuration(s, resolver, children);
    // Each mounted instance's window, for the dev preview's description (runtime/inspect.ts).
    s.children = instances.map((inst) => {
      const start = resolver.startOf(inst.host, 0);
      const offset = start - playbackStartOf(inst.host);
      const length = resolver.durationOf(inst.host);
      const end = length !== null && length > 0 ? start + length : s.duration;
      return {
        host: inst.host,
        root: inst.root,
        compositionId: inst.compositionId,
        offset,
        start,
        end,
        duration: length !== null && length > 0 ? length : Math.max(0, end - start),
      };
    });
  }

  /**
   * A root without data-duration lasts, as in HeyGen's renderer, as long as the longest of: its
   * own timeline, the compositions on the page (start + length), the media clips.
   */
  function engineDuration(s: Scene, resolver: ReturnType<typeof createTimingResolver>, children: CompositionTimeline[]): number {
    const ends = [timelineLength(bound?.root) ?? 0];
    for (const c of children) {
      if (!c.el) continue;
      const d = resolver.durationOf(c.el);
      if (d !== null) ends.push(c.start + d);
    }
    for (const n of s.timed) if (n.el instanceof HTMLMediaElement && Number.isFinite(n.end)) ends.push(n.end);
    const d = Math.max(...ends);
    if (!(d > 0)) {
      problems.add({
        kind: 'contract',
        code: 'zero_duration',
        message: 'The composition has no length: its root has no data-duration and no timeline, composition or media gives one.',
        hint: 'Add data-duration (seconds) to the root element. HeyGen refuses a composition without a length.',
        loc: { file, line: 0, column: 0 },
        fatal: true,
      });
    }
    return d > 0 ? d : 0;
  }

  function info(): ReadyInfo {
    const duration = scene?.duration ?? 0;
    return {
      compositionId: scene?.compositionId ?? '',
      width: scene?.width ?? 0,
      height: scene?.height ?? 0,
      duration,
      fps,
      frameCount: frameCount(duration, fps),
      hasTimeline: scene ? hasTimeline(scene.compositionId) : false,
      errors: [...problems.list],
    };
  }

  /** Timelines and clip visibility at `t` (before the page's animation-frame callbacks see it). */
  function pose(t: number): void {
    if (!scene) return;
    try {
      seekBound(t, bound, 1 / fps);
    } catch (error) {
      // A composition callback that throws (tl.call, onUpdate) must be reported with its time and
      // place, not escape into the tool that asked for the seek.
      const e = error as { message?: string; stack?: string };
      problems.add({
        kind: 'page-error',
        code: 'page_error',
        message: e?.message ?? String(error),
        hint: 'Fix the error in the timeline callback.',
        loc: locationFromStack(e?.stack),
        fatal: false,
      });
    }
    applyVisibility(t, scene.timed, scene.duration);
  }

  async function seekTo(t: number): Promise<boolean> {
    if (!scene) return true;
    takeOverGsap();
    batching.flush();
    problems.time = t;
    for (const m of scene.timed) if (m.el instanceof HTMLMediaElement) m.end = mediaEnd(m);
    // A jump forward passes through the frames between when seeking runs page code (see
    // hasSeekCallbacks), as the engine's in-order render does; over the last STEPPED_SECONDS only,
    // so a long jump (a snapshot or a build check late in a long deck) stays within the page's
    // deadline: before that window the clock jumps as it does for pages without callbacks.
    const everyFrame = t - current > 1.5 / fps && hasSeekCallbacks(bound);
    const onFrame = (ms: number) => pose(ms / 1000);
    const stepFrom = t - STEPPED_SECONDS;
    if (everyFrame && stepFrom > current && !clock.advanceTo(stepFrom * 1000, 1000 / fps, onFrame, false)) {
      problems.time = undefined;
      return false;
    }
    if (!clock.advanceTo(t * 1000, 1000 / fps, onFrame, everyFrame)) {
      problems.time = undefined;
      return false;
    }
    current = t;
    seekAnimations(t, scene.timed, offsetOf);
    await seekMedia(t, scene.timed, boot.videoFrames);
    await settle();
    problems.time = undefined;
    return true;
  }

  /** Fonts and images the new frame needs. */
  async function settle(): Promise<void> {
    if (document.fonts.status === 'loading') await document.fonts.ready;
    const pending = [...document.images].filter((img) => !img.complete || img.naturalWidth === 0);
    if (pending.length) await Promise.all(pending.map((img) => img.decode().catch(() => {})));
    if ((boot.paint ?? 'raf') === 'raf') await nextPaint();
  }

  const ready = load();

  function enqueue(t: number, frame: number): Promise<SeekResult> {
    const run = queue.then(async () => {
      await ready;
      const duration = scene?.duration ?? 0;
      const time = Math.min(Math.max(0, t), duration);
      const ok = await seekTo(time);
      return { frame, time, reloadRequired: !ok };
    });
    queue = run.catch(() => {});
    return run;
  }

  return {
    version: RUNTIME_VERSION,
    ready,
    get fps() {
      return fps;
    },
    get duration() {
      return scene?.duration ?? 0;
    },
    get frameCount() {
      return frameCount(scene?.duration ?? 0, fps);
    },
    get time() {
      return current;
    },
    get instances() {
      return instances;
    },
    seek: (frame) => enqueue(frame / fps, frame),
    seekTime: (seconds) => enqueue(seconds, Math.floor(seconds * fps + 1e-6)),
    changesBetween(from, to) {
      if (!scene) return true;
      const a = from / fps;
      const b = to / fps;
      if (b <= a) return false;
      if (clock.hasPendingFrameCallbacks || clock.nextTimerDue() <= b * 1000) return true;
      if (boundaryBetween(a, b, scene.timed)) return true;
      if (scene.timed.some((n) => n.el instanceof HTMLVideoElement && n.start <= b && n.end > a)) return true;
      const intervals = activeIntervals(bound);
      if (!intervals || intervals.some(([s, e]) => s <= b && e > a)) return true;
      return animationsChangeBetween(a, b, scene.timed, offsetOf);
    },
    errors: () => [...problems.list],
    onError: (listener) => problems.subscribe(listener),
    getVariables: () => deps.rootValues(),
    clips: () =>
      (scene?.timed ?? []).map((n) => ({
        id: n.el.id || n.el.getAttribute('data-composition-id') || n.el.tagName.toLowerCase(),
        start: n.start,
        end: Math.min(n.end, scene?.duration ?? n.end),
        composition: n.owner.getAttribute('data-composition-id') ?? '',
      })),
    describe: () => describeScene(scene, instances, fps, file),
    drawsSomething: () => (scene ? drawsSomething(scene.root) : false),
  };
}
