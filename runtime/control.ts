/**
 * The runtime's heart: loads the composition (root, sub-compositions, timed elements), then
 * answers seeks from our tools through `window.__framesmith` (see src/shared/control.ts).
 * A seek moves the virtual clock, the GSAP timelines, clip visibility, CSS/Web animations and
 * media, waits for fonts and images, and (in 'raf' paint mode) for a real paint.
 */
import type { BootOptions, FramesmithControl, ReadyInfo, SeekResult } from '../src/shared/control';
import { DEFAULT_FPS } from '../src/shared/model';
import { frameCount } from '../src/shared/time';
import type { VariableValues } from '../src/shared/variables';
import { animationsChangeBetween, seekAnimations } from './animations';
import type { VirtualClock } from './clock';
import { mediaEnd, prepareMedia, seekMedia } from './media';
import { native, nextPaint, sleep } from './native';
import { displayUrl, locationFromStack, type ProblemCollector } from './problems';
import { collectTimed, findRoot, readScene, type MountedChild, type Scene } from './scene';
import { mountSubCompositions, type MountedInstance } from './subcompositions';
import { activeIntervals, hasTimeline, registry, seekTimelines, takeOverGsap } from './timelines';
import { applyPageSetup } from './page-setup';
import { describeScene, drawsSomething } from './inspect';
import { applyBindings } from './variables';
import { applyVisibility, boundaryBetween } from './visibility';

export const RUNTIME_VERSION = '1';

export interface RuntimeDeps {
  clock: VirtualClock;
  problems: ProblemCollector;
  boot: BootOptions;
  rootValues: () => VariableValues;
  applyRootBindings: (root: Element) => void;
}

export function createControl(deps: RuntimeDeps): FramesmithControl & { instances: MountedInstance[] } {
  const { clock, problems, boot } = deps;
  const file = displayUrl(window.location.href.split(/[?#]/)[0]) || 'index.html';
  let scene: Scene | null = null;
  let fps = boot.fps ?? DEFAULT_FPS;
  let instances: MountedInstance[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  let current = 0;

  /** Root-time offset of the composition an element belongs to (0 for the root's own elements). */
  const childOffsets = new Map<Element, number>();
  const offsetOf = (el: Element | null): number => {
    for (let e = el; e; e = e.parentElement) {
      const o = childOffsets.get(e);
      if (o !== undefined) return o;
    }
    return 0;
  };
  const childTimelines = () =>
    (scene?.children ?? []).map((c, i) => ({ timeline: instances[i]?.timeline, offset: c.offset, duration: c.duration }));

  async function load(): Promise<ReadyInfo> {
    if (document.readyState === 'loading') await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));
    const root = findRoot(document);
    if (!root) {
      problems.add({
        kind: 'contract',
        code: 'root_missing',
        message: 'The page has no composition root (an element with data-composition-id in <body>).',
        hint: 'Wrap the composition in <div id="root" data-composition-id="main" data-width="1920" data-height="1080" data-start="0" data-duration="10">.',
        loc: { file, line: 0, column: 0 },
      });
      return info();
    }
    scene = readScene(root, problems, file);
    fps = boot.fps ?? scene.fps ?? DEFAULT_FPS;
    applyPageSetup(root, scene.width, scene.height);
    deps.applyRootBindings(root);
    instances = await mountSubCompositions(root, problems, deps.rootValues());
    // The engine binds variables after the composition scripts ran, so bindings win over what a
    // script wrote into the same element; bind again now for the same result.
    deps.applyRootBindings(root);
    for (const inst of instances) applyBindings(inst.root, inst.values);
    prepareMedia(document);
    if (document.readyState !== 'complete') await new Promise((r) => window.addEventListener('load', r, { once: true }));
    await document.fonts.ready;
    takeOverGsap();
    clock.advanceTo(0, 1000 / fps);
    await waitForTimeline(scene);
    buildTimed(scene);
    await seekTo(0);
    return info();
  }

  async function waitForTimeline(s: Scene): Promise<void> {
    if (s.noTimeline) return;
    const limit = boot.timelineTimeoutMs ?? 2000;
    const started = native.now();
    // A script that already failed will not register it later: stop waiting soon after. A remote
    // file that could not be had (a warning: an image a page tried, say) is no such failure.
    const failed = () => problems.list.some((p) => (p.kind === 'page-error' || p.kind === 'asset') && p.severity !== 'warning');
    while (!hasTimeline(s.compositionId) && native.now() - started < (failed() ? Math.min(limit, 250) : limit)) await sleep(25);
    if (!hasTimeline(s.compositionId)) {
      const keys = Object.keys(registry());
      problems.add({
        kind: 'timeline',
        code: 'timeline_not_registered',
        message: `No GSAP timeline was registered for composition "${s.compositionId}"${keys.length ? ` (registered: ${keys.join(', ')})` : ''}.`,
        hint: `Register it synchronously: window.__timelines = window.__timelines || {}; window.__timelines["${s.compositionId}"] = tl; — or add data-no-timeline to the root if it has none.`,
        loc: { file, line: 0, column: 0 },
      });
    }
  }

  function buildTimed(s: Scene): void {
    s.timed = collectTimed(s.root, 0, s.duration, fps, problems, file);
    s.children = [];
    for (const inst of instances) {
      const hostNode = s.timed.find((n) => n.el === inst.host);
      const parentOffset = offsetOf(inst.host.parentElement);
      const start = hostNode?.start ?? parentOffset;
      const end = hostNode?.end ?? s.duration;
      const playbackStart = Number(inst.host.getAttribute('data-playback-start') ?? inst.host.getAttribute('data-media-start')) || 0;
      const ownDuration = Number(inst.root.getAttribute('data-duration'));
      const child: MountedChild = {
        host: inst.host,
        root: inst.root,
        compositionId: inst.compositionId,
        offset: start - playbackStart,
        start,
        end,
        duration: ownDuration > 0 ? ownDuration : end - start + playbackStart,
      };
      s.children.push(child);
      childOffsets.set(inst.root, child.offset);
      s.timed.push(...collectTimed(inst.root, child.offset, end, fps, problems, inst.file));
    }
    for (const n of s.timed) if (n.el instanceof HTMLMediaElement) n.end = mediaEnd(n);
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

  async function seekTo(t: number): Promise<boolean> {
    if (!scene) return true;
    takeOverGsap();
    if (!clock.advanceTo(t * 1000, 1000 / fps)) return false;
    current = t;
    problems.time = t;
    for (const m of scene.timed) if (m.el instanceof HTMLMediaElement) m.end = mediaEnd(m);
    try {
      seekTimelines(t, childTimelines());
    } catch (error) {
      // A composition callback that throws (tl.call, onUpdate) must be reported with its time and
      // place, not escape into the tool that asked for the seek.
      const e = error as { message?: string; stack?: string };
      problems.add({
        kind: 'page-error',
        code: 'page_error',
        message: e?.message ?? String(error),
        hint: 'Fix the error in the timeline callback; the page must run without errors to render.',
        loc: locationFromStack(e?.stack),
      });
    }
    applyVisibility(t, scene.timed, scene.duration);
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
      const intervals = activeIntervals(childTimelines());
      if (!intervals || intervals.some(([s, e]) => s <= b && e > a)) return true;
      return animationsChangeBetween(a, b, scene.timed, offsetOf);
    },
    errors: () => [...problems.list],
    onError: (listener) => problems.subscribe(listener),
    getVariables: () => deps.rootValues(),
    describe: () => describeScene(scene, instances, fps, file),
    drawsSomething: () => (scene ? drawsSomething(scene.root) : false),
  };
}
