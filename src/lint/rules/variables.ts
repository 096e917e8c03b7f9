/**
 * Rules about variables beyond their declarations (which the parser checks): bindings name
 * declared variables, media bindings keep a fallback src, and a host's data-variable-values fit
 * the sub-composition's declarations.
 */
import { attr, hasAttr, nodeLocation } from '../../model/index.js';
import { checkValues } from '../../../shared/variables.js';
import type { LintContext } from '../context.js';

export function variableRules(ctx: LintContext): void {
  // Declarations visible in a file: the entry's (on <html> and its root) for the entry, the
  // sub-composition's own for its file.
  const declaredIn = new Map<string, Set<string>>();
  for (const c of ctx.compositions) {
    const set = declaredIn.get(c.file) ?? new Set<string>();
    for (const v of c.variables) set.add(v.id);
    declaredIn.set(c.file, set);
  }
  for (const file of ctx.html.values()) {
    const declared = declaredIn.get(file.file);
    if (!declared) continue;
    for (const el of ctx.elements(file)) {
      for (const name of ['data-var-text', 'data-var-src'] as const) {
        const id = attr(el, name);
        if (id === null) continue;
        if (!declared.has(id.trim())) {
          const known = [...declared].join(', ') || 'none';
          ctx.report(
            'unknown_variable_binding',
            nodeLocation(file, el, name),
            `${name}="${id}" names a variable that ${file.file} does not declare (declared: ${known}).`,
          );
        }
        if (name === 'data-var-src' && !hasAttr(el, 'src') && el.tagName !== 'source') {
          ctx.report(
            'media_variable_src_no_fallback',
            nodeLocation(file, el, name),
            `<${el.tagName} data-var-src="${id}"> has no src of its own to show before the variable applies.`,
          );
        }
      }
    }
  }

  for (const c of ctx.compositions) {
    for (const sub of c.subCompositions) {
      if (!sub.composition || !Object.keys(sub.variableValues).length) continue;
      const file = ctx.html.get(c.file);
      for (const p of checkValues(sub.composition.variables, sub.variableValues)) {
        // Range checks (maxLength, min, max) are the renderer's to clamp; types and ids are not.
        if (p.kind === 'invalid' && /maxLength|below min|above max/.test(p.message)) continue;
        const host = file ? findHost(ctx, file.file, sub.loc.line, sub.loc.column) : null;
        const loc = file && host ? nodeLocation(file, host, 'data-variable-values') : sub.loc;
        ctx.report('unknown_variable_value', loc, `data-variable-values for "${sub.compositionId}": ${p.message}.`);
      }
    }
  }
}

function findHost(ctx: LintContext, file: string, line: number, column: number) {
  const parsed = ctx.html.get(file);
  if (!parsed) return null;
  return (
    ctx
      .elements(parsed)
      .find((el) => el.sourceCodeLocation?.startTag?.startLine === line && el.sourceCodeLocation.startTag.startCol === column) ?? null
  );
}
