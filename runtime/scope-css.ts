/**
 * Scopes a sub-composition's CSS under its host: every style rule's selectors get the scope as
 * an ancestor, and `html`, `body` and `:root` become the scope itself. The browser's own CSS
 * parser reads the text (no hand-written tokenizer); at-rules that hold rules (@media,
 * @supports, @container, @layer) are scoped inside; @keyframes and @font-face stay as written.
 */

/** Splits a selector list on its top-level commas (not those inside :is(), :not(), [attr="a,b"]). */
export function splitSelectors(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(list.slice(start).trim());
  return out.filter(Boolean);
}

/** Marks a mounted sub-composition's own root element (the host keeps data-composition-id). */
export const INNER_ROOT_ATTR = 'data-framesmith-inner-root';

function scopeSelector(sel: string, scope: string): string {
  const m = /^(html|body|:root)(?=$|[\s>+~.#:[])(.*)$/i.exec(sel);
  if (m) {
    const rest = m[2].trim();
    return rest ? `${scope} ${rest.replace(/^body\b/i, '').trim() || ''}`.trim() : scope;
  }
  if (sel.startsWith(scope)) {
    // As HeyGen's renderer scopes it: a rule on the composition root itself
    // ([data-composition-id="x"], [data-composition-id="x"]:hover, [data-composition-id="x"] > .a)
    // styles the sub-composition's own root element inside the host, not the host.
    const rest = sel.slice(scope.length);
    if (rest === '' || /^[:.[#]/.test(rest)) return `${scope} > [${INNER_ROOT_ATTR}]${rest}`;
    if (/^\s*>/.test(rest)) return `${scope} > [${INNER_ROOT_ATTR}]${rest}`;
    return sel;
  }
  return `${scope} ${sel}`;
}

function scopeRules(rules: CSSRuleList, scope: string): string {
  const out: string[] = [];
  for (const rule of rules) {
    if (rule instanceof CSSStyleRule) {
      const selectors = splitSelectors(rule.selectorText).map((s) => scopeSelector(s, scope));
      out.push(`${selectors.join(', ')} { ${rule.style.cssText} }`);
    } else if (rule instanceof CSSMediaRule) {
      out.push(`@media ${rule.conditionText} { ${scopeRules(rule.cssRules, scope)} }`);
    } else if (rule instanceof CSSSupportsRule) {
      out.push(`@supports ${rule.conditionText} { ${scopeRules(rule.cssRules, scope)} }`);
    } else if (typeof CSSContainerRule !== 'undefined' && rule instanceof CSSContainerRule) {
      out.push(`@container ${rule.conditionText} { ${scopeRules(rule.cssRules, scope)} }`);
    } else if (rule instanceof CSSLayerBlockRule) {
      out.push(`@layer ${rule.name} { ${scopeRules(rule.cssRules, scope)} }`);
    } else {
      out.push(rule.cssText);
    }
  }
  return out.join('\n');
}

/** Returns `css` with every rule scoped under `scope` (a selector). */
export function scopeCss(css: string, scope: string): string {
  const sheet = new CSSStyleSheet();
  try {
    sheet.replaceSync(css);
  } catch {
    return css;
  }
  return scopeRules(sheet.cssRules, scope);
}
