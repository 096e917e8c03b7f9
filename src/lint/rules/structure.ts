/**
 * Rules about the shape of the files: the entry is a full document without `<html dir>`, the
 * root has a shape the cloud renders, composition ids are unique per file, sub-composition roots
 * are not styled by class, and old attribute names are gone.
 */
import { aspectRatioOf } from '../../options/aspect.js';
import { attr, hasAttr, htmlElementOf, nodeLocation, bodyOf } from '../../model/index.js';
import type { LintContext } from '../context.js';

export function structureRules(ctx: LintContext): void {
  const { model } = ctx;
  const entry = ctx.html.get(model.entry);
  const comp = model.composition;

  if (entry) {
    const htmlEl = htmlElementOf(entry.document);
    const body = bodyOf(entry.document);
    // parse5 invents <html>/<body> for a fragment; only written tags have a source location.
    const written = (el: typeof htmlEl) => Boolean(el?.sourceCodeLocation?.startTag);
    if (!comp.inTemplate && (!written(htmlEl) || !written(body) || !/^\s*(<!--[\s\S]*?-->\s*)*<!doctype\s+html/i.test(entry.source))) {
      const missing = [
        !/<!doctype\s+html/i.test(entry.source) && '<!doctype html>',
        !written(htmlEl) && '<html>',
        !written(body) && '<body>',
      ].filter(Boolean);
      ctx.report(
        'root_composition_missing_html_wrapper',
        { file: entry.file, line: 1, column: 1 },
        `${entry.file} is not a full HTML document (missing ${missing.join(', ') || '<!doctype html> at the top'}).`,
      );
    }
    if (htmlEl && hasAttr(htmlEl, 'dir')) {
      ctx.report(
        'html_dir_attribute',
        nodeLocation(entry, htmlEl, 'dir'),
        `<html dir="${attr(htmlEl, 'dir')}"> makes the official renderer draw black frames.`,
      );
    }
  }

  if (comp.width > 0 && comp.height > 0 && !aspectRatioOf(comp.width, comp.height)) {
    ctx.report(
      'unsupported_aspect_ratio',
      comp.loc,
      `The composition is ${comp.width}x${comp.height}, which is not 16:9, 9:16 or 1:1; the cloud renders only those.`,
    );
  }

  for (const file of ctx.html.values()) {
    const byId = new Map<string, number>();
    for (const el of ctx.elements(file)) {
      const id = attr(el, 'data-composition-id');
      if (id !== null && id !== '') {
        const n = (byId.get(id) ?? 0) + 1;
        byId.set(id, n);
        if (n === 2)
          ctx.report(
            'duplicate_composition_id',
            nodeLocation(file, el, 'data-composition-id'),
            `data-composition-id="${id}" is used more than once in ${file.file}.`,
          );
      }
      if (hasAttr(el, 'data-layer'))
        ctx.report(
          'deprecated_data_layer',
          nodeLocation(file, el, 'data-layer'),
          'data-layer is no longer read; the track is data-track-index.',
        );
      if (hasAttr(el, 'data-end'))
        ctx.report('deprecated_data_end', nodeLocation(file, el, 'data-end'), 'data-end is no longer read; give data-duration instead.');
    }
  }

  // A sub-composition's CSS is scoped under [data-composition-id="X"], so `.cls` on its own root
  // becomes `[data-composition-id="X"] .cls`, which matches descendants only.
  for (const c of ctx.compositions) {
    if (c === comp) continue;
    const file = ctx.html.get(c.file);
    if (!file) continue;
    const rootEl = ctx.elements(file).find((el) => attr(el, 'data-composition-id') === c.id);
    const classes = (rootEl && attr(rootEl, 'class')?.split(/\s+/).filter(Boolean)) || [];
    if (!rootEl || !classes.length) continue;
    for (const sheet of ctx.styles) {
      if (sheet.file !== c.file || !sheet.root) continue;
      sheet.root.walkRules((rule) => {
        for (const selector of rule.selectors) {
          const first = selector.trim().split(/[\s>+~]+/)[0] ?? '';
          const cls = classes.find((k) => new RegExp(`^[\\w-]*\\.${k.replace(/[-]/g, '\\-')}(?![\\w-])`).test(first));
          if (cls) {
            ctx.report(
              'subcomposition_root_styled_by_class',
              ctx.cssLocation(sheet, rule),
              `"${selector.trim()}" styles the root of sub-composition "${c.id}" by its class .${cls}; scoped CSS only reaches descendants that way.`,
            );
          }
        }
      });
    }
  }
}
