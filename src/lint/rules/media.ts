/**
 * Rules about `<video>` and `<audio>`: the engine plays media itself, so each needs an id, a
 * source, a start, and (video) `muted`; attributes that fight the engine are flagged, and so are
 * scripts that play, pause or seek media.
 */
import { attr, descendants, hasAttr, nodeLocation } from '../../model/index.js';
import type { LintContext } from '../context.js';

export function mediaRules(ctx: LintContext): void {
  for (const file of ctx.html.values()) {
    const ids = new Map<string, number>();
    for (const el of ctx.elements(file)) {
      if (el.tagName !== 'video' && el.tagName !== 'audio') continue;
      const tag = el.tagName;
      const id = attr(el, 'id');
      const hasSource =
        hasAttr(el, 'src') || hasAttr(el, 'data-var-src') || [...descendants(el)].some((c) => c.tagName === 'source' && hasAttr(c, 'src'));
      const timed = hasAttr(el, 'data-start');
      const loc = nodeLocation(file, el);
      const name = id ? `<${tag} id="${id}">` : `<${tag}>`;
      const start = el.sourceCodeLocation?.startTag;
      if (start && /\/\s*>$/.test(file.source.slice(start.startOffset, start.endOffset))) {
        ctx.report(
          'self_closing_media_tag',
          loc,
          `${name} is written self-closing; HTML ignores the "/" and the markup after it ends up inside the ${tag}.`,
        );
      }
      if (timed) {
        if (!id) ctx.report('media_missing_id', loc, `A timed <${tag}> has no id; the engine cannot track it.`);
        if (!hasSource) ctx.report('media_missing_src', loc, `${name} has data-start but no src or <source>.`);
        if (tag === 'video' && !hasAttr(el, 'muted') && attr(el, 'data-has-audio') !== 'true') {
          ctx.report('video_missing_muted', loc, `${name} is neither muted nor marked data-has-audio="true".`);
        }
      } else if (hasSource) {
        ctx.report('media_missing_data_start', loc, `${name} has a source but no data-start, so the engine never plays it.`);
      }
      if (id) {
        const n = (ids.get(id) ?? 0) + 1;
        ids.set(id, n);
        if (n === 2)
          ctx.report('duplicate_media_id', nodeLocation(file, el, 'id'), `Media id "${id}" is used more than once in ${file.file}.`);
      }
      if ((attr(el, 'preload') ?? '').toLowerCase() === 'none')
        ctx.report('media_preload_none', nodeLocation(file, el, 'preload'), `${name} has preload="none".`);
      if (hasAttr(el, 'crossorigin'))
        ctx.report('media_crossorigin_breaks_preview', nodeLocation(file, el, 'crossorigin'), `${name} has a crossorigin attribute.`);
    }
  }
  for (const f of ctx.facts)
    for (const m of f.mediaControl) {
      ctx.report(
        'imperative_media_control',
        m.loc,
        `The script calls ${m.what} on ${m.target}; the engine owns media time and this breaks seeking.`,
      );
    }
}
