/**
 * Rules about GSAP timelines and the registry: the entry registers a timeline (unless it says
 * data-no-timeline), every timeline built is registered, keys match composition ids, nothing
 * repeats forever, clip elements are not hidden by tweens, and GSAP is loaded where used.
 */
import { attr, descendants } from '../../model/index.js';
import type { LintContext } from '../context.js';
import { TIMELINE_PROPERTIES_MISSING } from '../../../shared/render-mode.js';

export function timelineRules(ctx: LintContext): void {
  const { model } = ctx;
  const comp = model.composition;
  const byHtml = new Map<string, typeof ctx.facts>();
  for (const f of ctx.facts) byHtml.set(f.unit.html, [...(byHtml.get(f.unit.html) ?? []), f]);

  for (const [htmlFile, facts] of byHtml) {
    const registered = facts.some((f) => f.registrations.length > 0 || f.touchesRegistry);
    // Timelines built but never stored anywhere in this file's scripts.
    if (!registered)
      for (const f of facts)
        for (const loc of f.timelines) {
          ctx.report(
            'gsap_timeline_not_registered',
            loc,
            'This gsap.timeline() is never stored in window.__timelines, so the engine cannot seek it.',
          );
        }
    const file = ctx.html.get(htmlFile);
    if (!file) continue;
    const ids = new Set(
      ctx
        .elements(file)
        .map((el) => attr(el, 'data-composition-id'))
        .filter((v): v is string => !!v),
    );
    for (const f of facts)
      for (const r of f.registrations) {
        if (r.key !== null && !ids.has(r.key)) {
          const known = [...ids].map((i) => `"${i}"`).join(', ') || 'none';
          ctx.report(
            'timeline_id_mismatch',
            r.loc,
            `The timeline is registered as "${r.key}", but no element in ${htmlFile} has data-composition-id="${r.key}" (ids here: ${known}).`,
          );
        }
      }
  }

  // The entry must register its timeline. Skipped when some of its code cannot be read
  // (TypeScript, a syntax error reported separately): the build's browser check covers that.
  const entryFacts = byHtml.get(model.entry) ?? [];
  const unreadable = ctx.scripts.some((u) => u.html === model.entry && (u.foreign || u.error));
  if (!comp.noTimeline && !unreadable && !entryFacts.some((f) => f.registrations.length > 0 || f.touchesRegistry)) {
    ctx.report(
      'missing_timeline_registry',
      comp.loc,
      `${model.entry} never registers a timeline in window.__timelines and its root has no data-no-timeline.`,
      {
        hint: `Register the root's timeline: window.__timelines = window.__timelines || {}; window.__timelines["${comp.id}"] = tl; — or add data-no-timeline to the root when nothing is animated by script.`,
      },
    );
  }

  const repeatSeverity = comp.duration > 0 ? 'warning' : 'error';
  for (const f of ctx.facts)
    for (const loc of f.infiniteRepeats) {
      ctx.report('gsap_infinite_repeat', loc, 'This tween repeats forever (repeat: -1).', { severity: repeatSeverity });
    }

  const clipIds = new Set(ctx.compositions.flatMap((c) => c.clips.map((k) => k.id)).filter((v): v is string => !!v));
  for (const f of ctx.facts)
    for (const t of f.visibilityTweens) {
      if (clipIds.has(t.id))
        ctx.report('gsap_animates_clip_element', t.loc, `A tween sets ${t.prop} on #${t.id}, a clip whose visibility the engine controls.`);
    }

  for (const f of ctx.facts)
    for (const r of f.timelineProperties) {
      ctx.report(
        'timeline_property_unavailable',
        r.loc,
        `\`${r.object}.${r.property}\` is undefined in HeyGen's renderer, which hands scripts a stand-in for each GSAP timeline that forwards its methods but not its properties.`,
        {
          hint: `${TIMELINE_PROPERTIES_MISSING[r.property][0].toUpperCase()}${TIMELINE_PROPERTIES_MISSING[r.property].slice(1)}.`,
        },
      );
    }

  // GSAP must be loaded by a script tag (entry or the file itself) or imported by the module.
  const loadsGsap = (htmlFile: string) => {
    const file = ctx.html.get(htmlFile);
    if (!file) return false;
    return [...descendants(file.document, { intoTemplates: true })].some(
      (el) => el.tagName === 'script' && /gsap/i.test(attr(el, 'src') ?? ''),
    );
  };
  const entryLoads = loadsGsap(model.entry);
  for (const f of ctx.facts) {
    if (!f.usesGsapGlobal || f.unit.module) continue;
    if (entryLoads || loadsGsap(f.unit.html)) continue;
    ctx.report(
      'missing_gsap_script',
      f.unit.base,
      `${f.unit.inline ? `A script in ${f.unit.file}` : f.unit.file} uses gsap, but no <script> loads GSAP.`,
    );
  }
}
