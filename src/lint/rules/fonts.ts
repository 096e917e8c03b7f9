/**
 * Fonts as HeyGen's engine resolves them (src/fonts): for every family the composition names,
 * what the cloud draws (kept on the context for the report), and a warning where that is not the
 * family as written at the weight written — a family the cloud cannot resolve, a weight or style
 * it has no face for, a family named only where the engine does not look (a linked .css file,
 * the `font` shorthand), or one the cloud has that framesmith cannot draw here.
 */
import { canonicalFont, CANONICAL_FONTS, isGenericFamily, normalizeFamily } from '../../fonts/engine-fonts.js';
import { summarizeFonts, faceMismatches, fallbackFor, type FontSummary } from '../../fonts/report.js';
import { planFontsSync } from '../../fonts/resolve.js';
import { isLookupFamily, scanFontDocument, splitFamilies, type DocumentFontScan } from '../../fonts/scan.js';
import type { SourceLocation } from '../../../shared/diagnostics.js';
import type { LintContext } from '../context.js';

const ENGINE_FAMILIES = CANONICAL_FONTS.map((f) => f.family).join(', ');

export function fontRules(ctx: LintContext): void {
  // The entry and its sub-compositions; the entry alone when its composition could not be read.
  const names = ctx.compositions.length ? ctx.compositions.map((c) => c.file) : [ctx.model.entry];
  const files = [...new Set(names)].map((f) => ctx.html.get(f)).filter((f) => f !== undefined);
  if (!files.length) return;
  const scans: DocumentFontScan[] = files.map(scanFontDocument);
  const plan = planFontsSync(scans, ctx.model.root);
  const summaries: FontSummary[] = summarizeFonts(plan, scans);
  ctx.fonts = summaries;

  const known = new Set(plan.families.map((f) => normalizeFamily(f.family)));
  for (const s of scans) for (const f of s.fontFaces) known.add(f);

  for (const r of plan.families) {
    const at = r.uses[0];
    if (r.status === 'unresolved') {
      const fallback = fallbackFor(r.family, scans, plan);
      ctx.report(
        'font_family_without_font_face',
        at,
        `"${r.family}" has no face in the cloud: ${r.reason ?? "HeyGen's engine does not know it and the project ships no @font-face for it"}. The cloud draws ${fallback} instead, as does this preview.`,
        {
          hint:
            r.reason?.includes('local()') && canonicalFont(r.family)
              ? `Remove that @font-face (HeyGen's engine then draws its own ${canonicalFont(r.family)!.family}, as framesmith does), or give it a url() to a .woff2 in fonts/.`
              : `Ship the font: its .woff2 in fonts/ and an @font-face for "${r.family}" (\`framesmith vendor\` does this for Google Fonts families), or use a family HeyGen's engine has: ${ENGINE_FAMILIES}.`,
        },
      );
    } else if (!r.local) {
      ctx.report(
        'font_not_available_locally',
        at,
        `The cloud draws "${r.family}" with ${r.canonical?.family ?? r.family} from ${r.status === 'google' ? 'Google Fonts' : 'its own faces'}, but ${r.reason}: previews, stills and local renders here draw ${fallbackFor(r.family, scans, plan)} instead.`,
      );
    }
  }

  for (const m of faceMismatches(plan, scans)) {
    const want = `${m.want.style === 'italic' ? 'italic ' : ''}${m.want.weight}`;
    const drawn = `${m.drawn.weight}${m.drawn.synthesizedItalic ? ' slanted by the browser' : ''}${m.drawn.synthesizedBold ? ' emboldened by the browser' : ''}`;
    ctx.report(
      'font_weight_not_shipped',
      m.loc,
      `"${m.family}" is used at ${want}, which the cloud has no face for (it has ${m.available}): it draws ${drawn}.`,
    );
  }

  // Families the engine does not see where they are named.
  const reported = new Set<string>();
  for (const s of scans) {
    for (const sh of s.shorthand) {
      const key = normalizeFamily(sh.family);
      if (!isLookupFamily(sh.family) || known.has(key) || reported.has(key)) continue;
      reported.add(key);
      ctx.report(
        'font_family_only_in_shorthand',
        sh.loc,
        `"${sh.family}" is named only in a \`font\` shorthand, which HeyGen's engine does not read when it supplies faces: the cloud has no face for it and draws the next family or the renderer's default.`,
      );
    }
  }
  for (const sheet of ctx.styles) {
    if (!sheet.file.endsWith('.css') || !sheet.root) continue;
    sheet.root.walkDecls(/^font-family$/i, (decl) => {
      const parent = decl.parent as { type: string; name?: string } | undefined;
      if (parent?.type === 'atrule' && parent.name?.toLowerCase() === 'font-face') return;
      const families = splitFamilies(decl.value);
      const first = families[0];
      if (!first) return;
      const loc: SourceLocation = ctx.cssLocation(sheet, decl);
      if (isGenericFamily(first)) {
        const key = `generic:${normalizeFamily(first)}`;
        if (reported.has(key)) return;
        reported.add(key);
        ctx.report(
          'font_family_only_in_stylesheet',
          loc,
          `"font-family: ${decl.value}" in ${sheet.file} starts with a generic family. HeyGen's engine puts Inter before generic families only in <style> blocks and style attributes, so the cloud draws its system's ${normalizeFamily(first)} font here, which framesmith cannot know.`,
          {
            hint: `Name a family first (e.g. "Inter", ${first}), or move the rule into a <style> block.`,
          },
        );
        return;
      }
      const family = families.find((f) => !isGenericFamily(f)) ?? first;
      const key = normalizeFamily(family);
      if (!isLookupFamily(family) || known.has(key) || reported.has(key)) return;
      reported.add(key);
      const engine = canonicalFont(family);
      ctx.report(
        'font_family_only_in_stylesheet',
        loc,
        `"${family}" is named only in ${sheet.file}. HeyGen's engine supplies faces only for families named in <style> blocks and style attributes, so the cloud has no face for it${engine ? ` (although it knows ${engine.family})` : ''} and draws the next family in the list.`,
      );
    });
  }
}
