/**
 * Rules about script code: it parses, it does not read the wall clock or randomness, it does not
 * run its own animation-frame loop, and it leaves the engine's globals alone. Facts come from the
 * parsed code (src/lint/script-facts.ts), so comments and strings never trigger these rules.
 */
import type { LintContext } from '../context.js';

export function scriptRules(ctx: LintContext): void {
  for (const unit of ctx.scripts) {
    if (!unit.error) continue;
    if (unit.error.code) ctx.report(unit.error.code, unit.error.loc, unit.error.message, { hint: unit.error.hint });
    else if (unit.inline) ctx.report('invalid_inline_script_syntax', unit.error.loc, `Inline <script> in ${unit.file} is not valid JavaScript: ${unit.error.message}.`);
    else ctx.report('script_syntax_error', unit.error.loc, `${unit.file} is not valid JavaScript: ${unit.error.message}.`);
  }
  for (const f of ctx.facts) {
    for (const c of f.clock) {
      const what = c.kind === 'Math.random()' || c.kind === 'crypto.getRandomValues()' || c.kind === 'gsap.utils.random()' ? 'randomness' : 'the wall clock';
      ctx.report('non_deterministic_code', c.loc, `${c.kind} reads ${what}: every render (and every frame worker) would see a different value.`);
    }
    for (const loc of f.raf) {
      ctx.report('requestanimationframe_in_composition', loc, 'requestAnimationFrame drives motion on the wall clock; a seek to a frame cannot reproduce it.');
    }
    for (const l of f.endlessLoops) {
      ctx.report('infinite_loop', l.loc, `This ${l.kind} loop has no break, return, throw, await or call: once it runs it never ends, and the page (and any render of it) hangs.`);
    }
    for (const g of f.engineGlobals) {
      ctx.report('engine_global_defined', g.loc, `The script defines window.${g.name}, which the engine sets itself.`);
    }
  }
}
