/**
 * Rules about clips on the timeline: every timed element is a `.clip` with a duration, clips on
 * one track do not overlap, and no clip runs past the end of its composition.
 */
import { attr } from '../../model/index.js';
import type { Clip, CompositionModel } from '../../../shared/model.js';
import type { LintContext } from '../context.js';

/** Media without data-duration last as long as their file; hosts as long as their child. */
const needsDuration = (clip: Clip) => clip.kind === 'element' || clip.kind === 'image';
const EPS = 1e-6;

function label(clip: Clip): string {
  return clip.id ? `#${clip.id}` : `<${clip.tag}> at line ${clip.loc.line}`;
}

function overlapRule(ctx: LintContext, comp: CompositionModel): void {
  const byTrack = new Map<number, Clip[]>();
  for (const clip of comp.clips) {
    if (clip.track === null || clip.end === null) continue;
    const list = byTrack.get(clip.track) ?? [];
    list.push(clip);
    byTrack.set(clip.track, list);
  }
  for (const [track, clips] of byTrack) {
    const sorted = [...clips].sort((a, b) => a.start - b.start);
    let last: Clip | null = null;
    for (const clip of sorted) {
      if (last && clip.start < last.end! - EPS) {
        ctx.report(
          'overlapping_clips_on_track',
          clip.loc,
          `${label(clip)} (${clip.start}–${clip.end} s) overlaps ${label(last)} (${last.start}–${last.end} s) on track ${track}.`,
        );
      }
      if (!last || clip.end! > last.end!) last = clip;
    }
  }
}

export function timingRules(ctx: LintContext): void {
  // Inline nested compositions (data-composition-id without a src) are hosts, not clips.
  const nested = new Set<string>();
  for (const file of ctx.html.values()) {
    for (const el of ctx.elements(file)) {
      const at = el.sourceCodeLocation?.startTag;
      if (at && attr(el, 'data-composition-id') !== null) nested.add(`${file.file}:${at.startLine}:${at.startCol}`);
    }
  }
  for (const comp of ctx.compositions) {
    for (const clip of comp.clips) {
      if ((clip.kind === 'element' || clip.kind === 'image') && !nested.has(`${clip.loc.file}:${clip.loc.line}:${clip.loc.column}`)) {
        if (!clip.hasClipClass)
          ctx.report('timed_element_missing_clip_class', clip.loc, `${label(clip)} has data-start but not class="clip".`);
      }
      if (needsDuration(clip) && clip.duration === null) {
        ctx.report('timeline_element_missing_timing', clip.loc, `${label(clip)} has data-start but no data-duration.`);
      }
      if (clip.end !== null && comp.duration > 0 && clip.end > comp.duration + EPS) {
        ctx.report(
          'clip_ends_past_root_duration',
          clip.loc,
          `${label(clip)} ends at ${+clip.end.toFixed(3)} s, after the composition "${comp.id}" ends (${comp.duration} s).`,
        );
      }
    }
    overlapRule(ctx, comp);
  }
}
