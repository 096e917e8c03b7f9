/**
 * The module specifiers of a JavaScript file (static `import`/`export … from` and `import()` with
 * a string), with their positions, and a rewrite of them in place: how `vendor` points a module's
 * CDN imports at local files, and how module CDN files served from npm get their bare imports
 * pointed back at the CDN. Code that acorn cannot parse (or classic scripts) yields no specifiers.
 */
import { parse, type Node } from 'acorn';
import { simple } from 'acorn-walk';

export interface ModuleSpecifier {
  value: string;
  /** Offsets of the string literal, quotes included. */
  start: number;
  end: number;
  dynamic: boolean;
}

type Literalish = Node & {
  type: string;
  value?: unknown;
  start: number;
  end: number;
  quasis?: { value: { cooked: string } }[];
  expressions?: unknown[];
};

function literal(node: Literalish | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions?.length === 0 && node.quasis?.length === 1) return node.quasis[0].value.cooked;
  return null;
}

/** Specifiers of `code` parsed as a module (then as a script, for dynamic imports); null when it does not parse. */
export function moduleSpecifiers(code: string): ModuleSpecifier[] | null {
  let ast: Node;
  try {
    ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
  } catch {
    try {
      ast = parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true });
    } catch {
      return null;
    }
  }
  const out: ModuleSpecifier[] = [];
  const add = (src: Literalish | null | undefined, dynamic: boolean) => {
    const value = literal(src);
    if (value !== null && src) out.push({ value, start: src.start, end: src.end, dynamic });
  };
  simple(ast, {
    ImportDeclaration: (n) => add((n as unknown as { source: Literalish }).source, false),
    ExportNamedDeclaration: (n) => add((n as unknown as { source?: Literalish }).source, false),
    ExportAllDeclaration: (n) => add((n as unknown as { source: Literalish }).source, false),
    ImportExpression: (n) => add((n as unknown as { source: Literalish }).source, true),
  });
  return out.sort((a, b) => a.start - b.start);
}

/** Whether the module has a default export of its own. */
export function hasDefaultExport(code: string): boolean {
  let ast: Node;
  try {
    ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  } catch {
    return false;
  }
  let found = false;
  simple(ast, {
    ExportDefaultDeclaration: () => (found = true),
    ExportNamedDeclaration: (n) => {
      const specs = (n as unknown as { specifiers?: { exported: { name?: string; value?: string } }[] }).specifiers ?? [];
      if (specs.some((s) => (s.exported.name ?? s.exported.value) === 'default')) found = true;
    },
  });
  return found;
}

/** Replaces specifiers for which `map` returns a string; returns the new code and how many changed. */
export function rewriteSpecifiers(code: string, map: (spec: ModuleSpecifier) => string | null): { code: string; changed: number } {
  const specs = moduleSpecifiers(code);
  if (!specs?.length) return { code, changed: 0 };
  let out = '';
  let at = 0;
  let changed = 0;
  for (const s of specs) {
    const next = map(s);
    if (next === null || next === s.value) continue;
    out += code.slice(at, s.start) + JSON.stringify(next);
    at = s.end;
    changed++;
  }
  return { code: out + code.slice(at), changed };
}

/** A bare specifier (`three`, `@scope/pkg/sub`), not a URL or path. */
export function isBareSpecifier(spec: string): boolean {
  return !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:|\/\/)/i.test(spec);
}
