/**
 * For the dev preview only (renders never call it): a description of the composition as it
 * runs (every mounted composition, its timed elements and media, the tweens and labels of its
 * live GSAP timeline, in root seconds), the instance keys that name sub-composition hosts, and
 * whether the current frame draws anything at all.
 */
import type { LiveClip, LiveClipKind, LiveComposition, LiveDescription, LiveLabel, LiveMedia, LiveTween, TweenKind } from '../shared/live';
import { instanceKey, LIVE_TWEEN_LIMIT } from '../shared/live';
import type { Scene } from './scene';
import type { MountedInstance } from './subcompositions';
import { registry } from './timelines';
import { realTimeline } from './timeline-batching';

interface Anim {
  startTime(): number;
  totalDuration(): number;
  duration(): number;
  timeScale(): number;
  parent?: Anim | null;
  vars?: Record<string, unknown>;
  labels?: Record<string, number>;
  targets?(): unknown[];
  getChildren?(nested?: boolean, tweens?: boolean, timelines?: boolean): Anim[];
  totalTime(): number;
  pause(): unknown;
}

const isAnim = (v: unknown): v is Anim => !!v && typeof (v as Anim).totalTime === 'function' && typeof (v as Anim).pause === 'function';

/** The composition root that owns `el` (its nearest ancestor with data-composition-id). */
const ownerRoot = (el: Element): Element | null => el.parentElement?.closest('[data-composition-id]') ?? null;

/**
 * The host that mounted the composition root `root`, or null for the page's root. A mounted
 * instance's host is its own root (the child root gave up its data-composition-id, as in the
 * engine); an inner root that kept one is inside its host.
 */
function hostOf(root: Element): HTMLElement | null {
  if (root.hasAttribute('data-composition-src')) return root as HTMLElement;
  return root.parentElement?.closest<HTMLElement>('[data-composition-src]') ?? null;
}

/** The instance key path of a sub-composition host (see LiveComposition.key). */
export function hostKey(host: Element): string {
  const parts: string[] = [];
  for (let h: Element | null = host; h;) {
    const scope = ownerRoot(h);
    const id = h.getAttribute('data-composition-id') ?? '';
    let index = 0;
    if (!h.id && scope) {
      for (const other of scope.querySelectorAll('[data-composition-src]')) {
        if (other === h) break;
        if (ownerRoot(other) === scope && other.getAttribute('data-composition-id') === id) index++;
      }
    }
    parts.unshift(instanceKey(h.id || null, id, index));
    h = scope ? hostOf(scope) : null;
  }
  return parts.join('/');
}

const num = (v: string | null, d: number) => {
  const n = v === null || v.trim() === '' ? NaN : Number(v);
  return Number.isFinite(n) ? n : d;
};

function clipKind(el: Element): LiveClipKind {
  if (el.hasAttribute('data-composition-src')) return 'composition';
  const tag = el.tagName.toLowerCase();
  if (tag === 'img') return 'image';
  if (tag === 'video' || tag === 'audio') return tag;
  return 'element';
}

function mediaOf(el: HTMLMediaElement): LiveMedia {
  const kind = el instanceof HTMLVideoElement ? 'video' : 'audio';
  const source = el.querySelector('source');
  const src = el.currentSrc || el.src || (source ? source.src : '');
  const muted = el.hasAttribute('muted');
  return {
    src,
    kind,
    mediaStart: num(el.getAttribute('data-media-start'), 0),
    rate: num(el.getAttribute('data-playback-rate'), 1),
    volume: Math.min(1, Math.max(0, num(el.getAttribute('data-volume'), 1))),
    muted,
    audible: kind === 'audio' ? !muted : el.getAttribute('data-has-audio') === 'true',
    sourceDuration: Number.isFinite(el.duration) ? el.duration : null,
  };
}

/** A short description of a tween's targets: `#id`, `.class`, `tag`, up to three, then `+n`. */
function describeTargets(targets: unknown[]): string {
  const names = targets.slice(0, 3).map((t) => {
    if (typeof t === 'function') return 'function';
    if (t instanceof Element) {
      if (t.id) return `#${t.id}`;
      const cls = typeof t.className === 'string' ? t.className.trim().split(/\s+/)[0] : '';
      return cls ? `${t.tagName.toLowerCase()}.${cls}` : t.tagName.toLowerCase();
    }
    return typeof t === 'object' && t !== null ? 'object' : String(t);
  });
  return names.join(', ') + (targets.length > 3 ? ` +${targets.length - 3}` : '');
}

/** GSAP's own keys in a tween's vars (everything else is an animated property). */
const RESERVED = new Set([
  'duration',
  'delay',
  'ease',
  'repeat',
  'repeatDelay',
  'yoyo',
  'yoyoEase',
  'stagger',
  'overwrite',
  'immediateRender',
  'lazy',
  'paused',
  'reversed',
  'runBackwards',
  'startAt',
  'data',
  'id',
  'inherit',
  'keyframes',
  'callbackScope',
  'autoRevert',
  'parent',
  'defaults',
  'onStart',
  'onStartParams',
  'onUpdate',
  'onUpdateParams',
  'onComplete',
  'onCompleteParams',
  'onRepeat',
  'onRepeatParams',
  'onReverseComplete',
  'onReverseCompleteParams',
  'onInterrupt',
  'onInterruptParams',
  'smoothChildTiming',
  'stringFilter',
  'snap',
  'modifiers',
  'css',
]);

function tweenKind(t: Anim, vars: Record<string, unknown>): TweenKind {
  const targets = t.targets?.() ?? [];
  if (targets.length === 1 && typeof targets[0] === 'function') return 'call';
  if (vars.runBackwards) return 'from';
  if (vars.startAt) return 'fromTo';
  return t.duration() === 0 ? 'set' : 'to';
}

/** The ease as written (a name); GSAP's defaults and functions are not named. */
function easeName(ease: unknown): string | null {
  return typeof ease === 'string' ? ease : null;
}

/** Start and total time scale of `anim` in the coordinates of `top`. */
function placement(anim: Anim, top: Anim): { start: number; scale: number } {
  let start = anim.startTime();
  let scale = 1;
  for (let p = anim.parent; p && p !== top; p = p.parent) {
    const ts = p.timeScale() || 1;
    start = p.startTime() + start / ts;
    scale *= ts;
  }
  return { start, scale };
}

function describeTimeline(standIn: Anim, offset: number, limit: number): { tweens: LiveTween[]; labels: LiveLabel[]; truncated: boolean } {
  // The registry holds the render mode's stand-ins; read the real timeline, or the preview's own
  // reads would be reported as the page's (timeline_property_unavailable).
  const tl = realTimeline(standIn);
  const tweens: LiveTween[] = [];
  const labels: LiveLabel[] = [];
  for (const [name, time] of Object.entries(tl.labels ?? {})) labels.push({ name, time: offset + time });
  let truncated = false;
  const children = tl.getChildren?.(true, true, true) ?? [];
  for (const child of children) {
    const nested = typeof child.getChildren === 'function';
    const { start, scale } = placement(child, tl);
    if (nested) {
      const ts = (child.timeScale() || 1) * scale;
      for (const [name, time] of Object.entries(child.labels ?? {})) labels.push({ name, time: offset + start + time / ts });
      continue;
    }
    if (tweens.length >= limit) {
      truncated = true;
      break;
    }
    const vars = child.vars ?? {};
    const ts = (child.timeScale() || 1) * scale;
    const begin = offset + start;
    tweens.push({
      start: begin,
      end: begin + child.totalDuration() / ts,
      kind: tweenKind(child, vars),
      targets: describeTargets(child.targets?.() ?? []),
      props: Object.keys(vars).filter((k) => !RESERVED.has(k)),
      ease: easeName(vars.ease),
    });
  }
  tweens.sort((a, b) => a.start - b.start);
  labels.sort((a, b) => a.time - b.time);
  return { tweens, labels, truncated };
}

/** Everything the preview's timeline and sound need, from the running page. */
export function describeScene(scene: Scene | null, instances: MountedInstance[], fps: number, entryFile: string): LiveDescription {
  if (!scene) return { duration: 0, fps, compositions: [] };
  const reg = registry();
  const comps: LiveComposition[] = [];
  const byRoot = new Map<Element, LiveComposition>();
  const rootTl = reg[scene.compositionId];
  const root: LiveComposition = {
    key: '',
    parent: null,
    compositionId: scene.compositionId,
    file: entryFile,
    hostId: null,
    start: 0,
    end: scene.duration,
    offset: 0,
    hasTimeline: isAnim(rootTl),
    timelineDuration: isAnim(rootTl) ? rootTl.totalDuration() : null,
    clips: [],
    ...(isAnim(rootTl) ? describeTimeline(rootTl, 0, LIVE_TWEEN_LIMIT) : { tweens: [], labels: [], truncated: false }),
  };
  comps.push(root);
  byRoot.set(scene.root, root);
  const seen = new Set<unknown>([rootTl]);
  // A mounted instance's content may sit in an inner root element of its own: a clip or a nested
  // host belongs to the composition whose root or instance host is its nearest such ancestor.
  const byHost = new Map<Element, LiveComposition>();
  const compOf = (el: Element): LiveComposition | undefined => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const c = byRoot.get(p) ?? byHost.get(p);
      if (c) return c;
    }
    return undefined;
  };
  scene.children.forEach((child, i) => {
    const inst = instances[i];
    const tl = inst?.timeline;
    const parentComp = compOf(child.host);
    const key = hostKey(child.host);
    const comp: LiveComposition = {
      key,
      parent: parentComp?.key ?? '',
      compositionId: child.compositionId,
      file: inst?.file ?? '',
      hostId: child.host.id || null,
      start: child.start,
      end: child.end,
      offset: child.offset,
      hasTimeline: isAnim(tl),
      timelineDuration: isAnim(tl) ? tl.totalDuration() : null,
      clips: [],
      ...(isAnim(tl) && !seen.has(tl)
        ? describeTimeline(tl, child.offset, LIVE_TWEEN_LIMIT)
        : { tweens: [], labels: [], truncated: false }),
    };
    seen.add(tl);
    comps.push(comp);
    byRoot.set(child.root, comp);
    byHost.set(child.host, comp);
  });
  // Timelines registered under other names are seeked at root time: their tweens are the root's.
  for (const tl of Object.values(reg)) {
    if (!isAnim(tl) || seen.has(tl)) continue;
    seen.add(tl);
    const extra = describeTimeline(tl, 0, LIVE_TWEEN_LIMIT - root.tweens.length);
    root.tweens.push(...extra.tweens);
    root.labels.push(...extra.labels);
    root.truncated ||= extra.truncated;
  }
  if (root.tweens.length) root.tweens.sort((a, b) => a.start - b.start);

  // Document order of each composition's timed elements, as the model lists them.
  const order = new Map<Element, number>();
  for (const [compRoot] of byRoot) {
    let i = 0;
    for (const el of compRoot.querySelectorAll('[data-start]')) if (el !== compRoot && ownerRoot(el) === compRoot) order.set(el, i++);
  }
  const hostKeys = new Map<Element, string>();
  for (const c of scene.children) hostKeys.set(c.host, byRoot.get(c.root)?.key ?? '');
  for (const node of scene.timed) {
    const comp = byRoot.get(node.owner) ?? compOf(node.el);
    if (!comp) continue;
    const el = node.el;
    const track = el.getAttribute('data-track-index');
    const clip: LiveClip = {
      id: el.id || null,
      tag: el.tagName.toLowerCase(),
      kind: clipKind(el),
      start: node.start,
      end: Number.isFinite(node.end) ? node.end : comp.end,
      track: track !== null && track.trim() !== '' && Number.isFinite(Number(track)) ? Number(track) : null,
      startExpr: el.getAttribute('data-start') ?? '',
      durationExpr: el.getAttribute('data-duration'),
      index: order.get(el) ?? -1,
    };
    if (hostKeys.has(el)) clip.mounts = hostKeys.get(el);
    if (el instanceof HTMLMediaElement) clip.media = mediaOf(el);
    comp.clips.push(clip);
  }
  return { duration: scene.duration, fps, compositions: comps };
}

/** Whether a colour string is visible at all (not transparent). */
function opaque(color: string): boolean {
  if (!color || color === 'transparent') return false;
  const m = /rgba?\(([^)]+)\)/.exec(color);
  if (!m) return true;
  const parts = m[1].split(/[\s,/]+/).filter(Boolean);
  return parts.length < 4 || Number(parts[3]) > 0.02;
}

/**
 * Whether the frame on screen draws anything inside the root besides the root's own
 * background: visible text, an image, video or canvas, a background, a border or a shadow on a
 * visible element that overlaps the frame. Bounded: after `budget` elements it says yes.
 */
export function drawsSomething(root: HTMLElement, budget = 4000): boolean {
  const frame = root.getBoundingClientRect();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  let seen = 0;
  let el = walker.nextNode() as Element | null;
  while (el) {
    if (++seen > budget) return true;
    const style = getComputedStyle(el);
    if (style.display === 'none' || Number(style.opacity) <= 0.01) {
      // Nothing inside a hidden element is drawn: skip its subtree.
      el = skipSubtree(walker, root);
      continue;
    }
    if (style.visibility !== 'hidden') {
      const r = el.getBoundingClientRect();
      const overlaps =
        r.width > 0 && r.height > 0 && r.right > frame.left && r.left < frame.right && r.bottom > frame.top && r.top < frame.bottom;
      if (overlaps && drawsItself(el, style)) return true;
    }
    el = walker.nextNode() as Element | null;
  }
  return false;
}

/** Moves the walker past the current node's descendants; the next node, or null at the end. */
function skipSubtree(walker: TreeWalker, root: Node): Element | null {
  for (;;) {
    const next = walker.nextSibling();
    if (next) return next as Element;
    const up = walker.parentNode();
    if (!up || up === root) return null;
  }
}

function drawsItself(el: Element, style: CSSStyleDeclaration): boolean {
  const tag = el.tagName.toLowerCase();
  if (tag === 'img') return (el as HTMLImageElement).naturalWidth > 0;
  if (tag === 'video') return (el as HTMLVideoElement).readyState >= 2;
  if (tag === 'canvas' || tag === 'iframe') return true;
  if (el instanceof SVGElement) return tag !== 'svg' && tag !== 'g' && tag !== 'defs' && (opaque(style.fill) || opaque(style.stroke));
  if (opaque(style.backgroundColor) || style.backgroundImage !== 'none') return true;
  if (style.boxShadow !== 'none' || style.textShadow !== 'none') return true;
  for (const side of ['Top', 'Right', 'Bottom', 'Left'] as const) {
    if (
      parseFloat(style.getPropertyValue(`border-${side.toLowerCase()}-width`)) > 0 &&
      style.getPropertyValue(`border-${side.toLowerCase()}-style`) !== 'none' &&
      opaque(style.getPropertyValue(`border-${side.toLowerCase()}-color`))
    )
      return true;
  }
  if (opaque(style.color)) {
    for (const n of el.childNodes) if (n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '') return true;
  }
  return false;
}
