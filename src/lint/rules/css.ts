/**
 * Rules about style sheets: they parse and they use no CSS transitions (wall-clock animation).
 * Font families are fonts.ts's.
 */
import valueParser from 'postcss-value-parser';
import type { LintContext } from '../context.js';

function hasTime(value: string): boolean {
  return valueParser(value).nodes.some((n) => n.type === 'word' && /^[+]?(\d*\.)?\d+m?s$/i.test(n.value) && parseFloat(n.value) > 0);
}

export function cssRules(ctx: LintContext): void {
  for (const sheet of ctx.styles) {
    if (sheet.error?.code) {
      ctx.report(sheet.error.code, sheet.error.loc, sheet.error.message);
      continue;
    }
    if (sheet.error) {
      ctx.report('css_parse_error', sheet.error.loc, `The CSS in ${sheet.file} does not parse: ${sheet.error.message}.`);
      continue;
    }
    sheet.root!.walkDecls((decl) => {
      const prop = decl.prop.toLowerCase();
      if ((prop === 'transition' || prop === 'transition-duration') && hasTime(decl.value)) {
        ctx.report(
          'css_transition_used',
          ctx.cssLocation(sheet, decl),
          `"${decl.prop}: ${decl.value}" animates on the wall clock; renders seek frames and cannot reproduce it.`,
        );
      }
    });
  }
}
