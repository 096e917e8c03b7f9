/**
 * The timeline's rows, built from the project model (every clip at every nesting depth with its
 * file:line) and, once the page has loaded, from the runtime's description of what runs (the
 * resolved windows, media lengths, the live GSAP tweens and labels). Each composition (the root
 * and every sub-composition instance) has a header row carrying its tweens and labels, then its
 * track rows, then the sections of the instances it mounts; a collapsed composition shows its
 * header only. Rows keep their items sorted with a running maximum of ends, so drawing and
 * hit-testing find what is visible by binary search (a 5,000-clip composition stays fast).
 */
import type { SourceLocation } from '../shared/diagnostics';
import {
  instanceKey,
  type LiveClipKind,
  type LiveComposition,
  type LiveDescription,
  type LiveLabel,
  type LiveMedia,
  type TweenKind,
} from '../shared/live';
import type { Clip, CompositionModel } from '../shared/model';

export interface TlItem {
  label: string;
  id: string | null;
  tag: string;
  kind: LiveClipKind;
  start: number;
  /** Never before `start` (see `invalid`). */
  end: number;
  startExpr: string;
  loc: SourceLocation | null;
  /** Why the clip never shows (zero or negative duration, an unplaceable start). */
  invalid: string | null;
  /** No data-duration: runs to the end of its media or composition. */
  openEnd: boolean;
  comp: string;
  track: number | null;
  media?: LiveMedia;
  /** The composition key a host mounts. */
  mounts?: string;
}

export interface TlTween {
  start: number;
  end: number;
  kind: TweenKind;
  targets: string;
  props: string[];
  ease: string | null;
  /** Sub-lane inside the composition row (0–2). */
  lane: number;
}

export interface TlComposition {
  key: string;
  parent: string | null;
  depth: number;
  name: string;
  file: string;
  hostId: string | null;
  start: number;
  end: number;
  tweens: TlTween[];
  labels: LiveLabel[];
  hasTimeline: boolean;
  truncated: boolean;
  /** Running max of tween ends (for the visible-range search). */
  tweenMaxEnd: Float64Array;
  children: string[];
  clipCount: number;
}

export interface TlRow {
  key: string;
  type: 'comp' | 'track';
  depth: number;
  label: string;
  title: string;
  comp: string;
  items: TlItem[];
  /** Running max of item ends, for the visible-range search. */
  maxEnd: Float64Array;
  height: number;
  /** Media rows are taller (waveform, thumbnails). */
  media: boolean;
}

export interface TimelineData {
  duration: number;
  fps: number;
  comps: Map<string, TlComposition>;
  /** Every row, collapsed or not, in display order (see visibleRows). */
  rows: TlRow[];
  clipCount: number;
  tweenCount: number;
}

export const ROW_H = 24;
export const MEDIA_ROW_H = 34;
export const COMP_ROW_H = 26;
const TWEEN_LANES = 3;

const who = (id: string | null, tag: string) => (id ? `#${id}` : `<${tag}>`);

/** Model compositions by instance key, with the root-time offset of each. */
function modelComps(
  root: CompositionModel | null,
): Map<string, { comp: CompositionModel; offset: number; start: number; end: number; hostId: string | null; parent: string | null }> {
  const out = new Map<
    string,
    { comp: CompositionModel; offset: number; start: number; end: number; hostId: string | null; parent: string | null }
  >();
  if (!root) return out;
  const walk = (
    comp: CompositionModel,
    key: string,
    offset: number,
    start: number,
    end: number,
    hostId: string | null,
    parent: string | null,
    depth: number,
  ) => {
    out.set(key, { comp, offset, start, end, hostId, parent });
    if (depth > 16) return;
    const seen = new Map<string, number>();
    for (const inst of comp.subCompositions) {
      const n = seen.get(inst.compositionId) ?? 0;
      seen.set(inst.compositionId, n + 1);
      if (!inst.composition) continue;
      const k = instanceKey(inst.hostId, inst.compositionId, n);
      const childKey = key ? `${key}/${k}` : k;
      const s = offset + inst.start;
      const e = inst.end !== null ? offset + inst.end : end;
      walk(inst.composition, childKey, s - inst.playbackStart, s, e, inst.hostId, key, depth + 1);
    }
  };
  walk(root, '', 0, 0, root.duration, null, null, 0);
  return out;
}

function liveFromModel(model: CompositionModel | null): LiveDescription | null {
  if (!model) return null;
  const comps: LiveComposition[] = [];
  for (const [key, m] of modelComps(model)) {
    comps.push({
      key,
      parent: m.parent,
      compositionId: m.comp.id,
      file: m.comp.file,
      hostId: m.hostId,
      start: m.start,
      end: m.end,
      offset: m.offset,
      hasTimeline: false,
      timelineDuration: null,
      tweens: [],
      labels: [],
      truncated: false,
      clips: m.comp.clips.map((c, index) => ({
        id: c.id,
        tag: c.tag,
        kind: c.kind,
        start: m.offset + c.start,
        end: c.end !== null ? m.offset + c.end : m.end,
        track: c.track,
        startExpr: c.startExpr,
        index,
      })),
    });
  }
  return { duration: model.duration, fps: model.fps ?? 30, compositions: comps };
}

/** Greedy packing of tweens into a few sub-lanes, so overlapping ones stay apart. */
function packTweens(tweens: TlTween[]): void {
  const ends = new Array<number>(TWEEN_LANES).fill(-Infinity);
  for (const t of tweens) {
    let lane = ends.findIndex((e) => e <= t.start + 1e-9);
    if (lane < 0) lane = ends.indexOf(Math.min(...ends));
    t.lane = lane;
    ends[lane] = Math.max(t.end, t.start + 1e-6);
  }
}

function runningMax(values: { end: number }[]): Float64Array {
  const out = new Float64Array(values.length);
  let m = -Infinity;
  values.forEach((v, i) => (out[i] = m = Math.max(m, v.end)));
  return out;
}

/** Rows of one composition's clips: by data-track-index, then clips without one packed where they fit. */
function trackRows(comp: TlComposition, items: TlItem[]): TlRow[] {
  const byTrack = new Map<number, TlItem[]>();
  const loose: TlItem[] = [];
  for (const it of items) {
    if (it.track === null) loose.push(it);
    else byTrack.set(it.track, [...(byTrack.get(it.track) ?? []), it]);
  }
  const rows: { label: string; items: TlItem[] }[] = [...byTrack.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, its]) => ({ label: `T${t}`, items: its }));
  const free: { end: number; items: TlItem[] }[] = [];
  for (const it of loose.sort((a, b) => a.start - b.start)) {
    const row = free.find((r) => r.end <= it.start + 1e-9);
    if (row) {
      row.items.push(it);
      row.end = Math.max(it.end, it.start);
    } else free.push({ end: Math.max(it.end, it.start), items: [it] });
  }
  rows.push(...free.map((r) => ({ label: '·', items: r.items })));
  return rows.map((r, i) => {
    const sorted = r.items.sort((a, b) => a.start - b.start || a.end - b.end);
    const media = sorted.some((it) => it.media && (it.media.audible || it.media.kind === 'video'));
    return {
      key: `${comp.key}#${i}`,
      type: 'track' as const,
      depth: comp.depth + 1,
      label: r.label,
      title: r.label.startsWith('T')
        ? `data-track-index ${r.label.slice(1)} of ${comp.name}`
        : `Clips of ${comp.name} without data-track-index`,
      comp: comp.key,
      items: sorted,
      maxEnd: runningMax(sorted),
      height: media ? MEDIA_ROW_H : ROW_H,
      media,
    };
  });
}

/** Builds the timeline from the model and (when loaded) the runtime's description. */
export function buildTimeline(model: CompositionModel | null, live: LiveDescription | null, entryFile: string): TimelineData {
  const desc = live ?? liveFromModel(model);
  const mcomps = modelComps(model);
  const comps = new Map<string, TlComposition>();
  const rows: TlRow[] = [];
  let clipCount = 0;
  let tweenCount = 0;
  if (!desc) return { duration: 0, fps: 30, comps, rows, clipCount, tweenCount };

  for (const c of desc.compositions) {
    const parent = c.parent === null ? null : (comps.get(c.parent) ?? comps.get('') ?? null);
    const tweens: TlTween[] = c.tweens.map((t) => ({ ...t, lane: 0 }));
    packTweens(tweens);
    const comp: TlComposition = {
      key: c.key,
      parent: parent ? parent.key : null,
      depth: parent ? parent.depth + 1 : 0,
      name: c.key === '' ? c.compositionId || 'composition' : c.hostId ? `#${c.hostId}` : c.compositionId,
      file: c.file || (c.key === '' ? entryFile : ''),
      hostId: c.hostId,
      start: c.start,
      end: c.end,
      tweens,
      labels: c.labels,
      hasTimeline: c.hasTimeline,
      truncated: c.truncated,
      tweenMaxEnd: runningMax(tweens),
      children: [],
      clipCount: c.clips.length,
    };
    comps.set(c.key, comp);
    parent?.children.push(c.key);
    tweenCount += tweens.length;
  }

  const itemsOf = new Map<string, TlItem[]>();
  for (const c of desc.compositions) {
    const m = mcomps.get(c.key)?.comp ?? null;
    const byId = new Map<string, Clip>();
    for (const clip of m?.clips ?? []) if (clip.id) byId.set(clip.id, clip);
    const list: TlItem[] = [];
    for (const lc of c.clips) {
      let mc: Clip | undefined = m?.clips[lc.index];
      if (!mc || mc.tag !== lc.tag || (lc.id && mc.id !== lc.id)) mc = lc.id ? byId.get(lc.id) : undefined;
      let invalid: string | null = null;
      const duration = lc.end - lc.start;
      // A data-duration of 0 or less is no length to HeyGen's renderer (the runtime, like it,
      // shows such a clip to the end of its composition); the model keeps what was written.
      const written = lc.durationExpr != null && lc.durationExpr.trim() !== '' ? Number(lc.durationExpr) : NaN;
      const authored = Number.isFinite(written) ? written : (mc?.duration ?? null);
      const noLength = "HeyGen's renderer reads it as no length (shown to the end of its composition)";
      if (authored !== null && authored < 0) invalid = `negative duration (${authored.toFixed(2)} s): ${noLength}`;
      else if (authored === 0) invalid = `zero duration: ${noLength}`;
      else if (duration < 0) invalid = `negative duration (${duration.toFixed(2)} s): never shown`;
      else if (duration === 0) invalid = 'zero duration: never shown';
      list.push({
        label: who(lc.id, lc.tag),
        id: lc.id,
        tag: lc.tag,
        kind: lc.kind,
        start: lc.start,
        end: Math.max(lc.start, lc.end),
        startExpr: lc.startExpr,
        loc: mc?.loc ?? null,
        invalid,
        openEnd: mc ? mc.duration === null : false,
        comp: c.key,
        media: lc.media,
        mounts: lc.mounts,
        track: lc.track,
      });
    }
    itemsOf.set(c.key, list);
    clipCount += list.length;
  }

  const visit = (key: string) => {
    const comp = comps.get(key);
    if (!comp) return;
    rows.push({
      key: `${key}#comp`,
      type: 'comp',
      depth: comp.depth,
      label: comp.name,
      title: `${comp.file}${comp.hasTimeline ? '' : ' · no GSAP timeline'}`,
      comp: key,
      items: [],
      maxEnd: new Float64Array(0),
      height: COMP_ROW_H,
      media: false,
    });
    rows.push(...trackRows(comp, itemsOf.get(key) ?? []));
    for (const child of comp.children) visit(child);
  };
  const roots = [...comps.values()].filter((c) => c.parent === null);
  for (const r of roots) visit(r.key);
  return { duration: desc.duration, fps: desc.fps, comps, rows, clipCount, tweenCount };
}

/** The rows shown when the compositions in `collapsed` are folded (their header stays). */
export function visibleRows(data: TimelineData, collapsed: ReadonlySet<string>): TlRow[] {
  if (!collapsed.size) return data.rows;
  const hidden = (comp: string, self: boolean): boolean => {
    for (let k: string | null = comp; k !== null; k = data.comps.get(k)?.parent ?? null) {
      if (collapsed.has(k) && !(self && k === comp)) return true;
    }
    return false;
  };
  return data.rows.filter((r) => !hidden(r.comp, r.type === 'comp'));
}

/** Index of the first item that may overlap `t` (binary search on the running max of ends). */
export function firstOverlapping(maxEnd: Float64Array, t: number): number {
  let lo = 0;
  let hi = maxEnd.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (maxEnd[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
