/**
 * The error catalog (src/core/error-catalog.ts) holds every code framesmith throws, and only
 * those: each `new FramesmithError(code, …)` in src/ (or a subclass, or a helper that passes its
 * `code` parameter on, or a rule function returning a `UsageProblem`) is read with the TypeScript
 * parser, and its code must be in the catalog.
 * A code that is not written out (a variable) must be an existing error's or problem's `.code`
 * passed on; a template (`webhook_${reason}`) must match catalog codes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERROR_AREAS, ERROR_CATALOG, exitCodesOf, isErrorCode, type ErrorCode } from '../../src/core/error-catalog.js';
import { EXIT, EXIT_CODES } from '../../src/core/exit-codes.js';

const REPO = join(import.meta.dirname, '..', '..');
const SRC = join(REPO, 'src');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

interface Site {
  where: string;
  /** A written-out code, a template's fixed start (`webhook_`), or undefined for a passed-on code. */
  code?: string;
  template?: boolean;
  /** The argument's text when it is neither. */
  other?: string;
}

const files = sourceFiles(SRC).map((file) => ({
  file,
  sf: ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
}));

/** Classes that extend FramesmithError (directly or not) and take the code first. */
function errorClasses(): { withCode: Set<string>; all: Set<string> } {
  const parent = new Map<string, string>();
  const firstParam = new Map<string, string | undefined>();
  for (const { sf } of files) {
    const visit = (node: ts.Node) => {
      if (ts.isClassDeclaration(node) && node.name && node.heritageClauses) {
        const ext = node.heritageClauses.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
        if (ext && ts.isIdentifier(ext)) parent.set(node.name.text, ext.text);
        const ctor = node.members.find(ts.isConstructorDeclaration);
        const p = ctor?.parameters[0]?.name;
        firstParam.set(node.name.text, p && ts.isIdentifier(p) ? p.text : undefined);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  const all = new Set(['FramesmithError']);
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, base] of parent) {
      if (all.has(base) && !all.has(name)) {
        all.add(name);
        grew = true;
      }
    }
  }
  const withCode = new Set([...all].filter((c) => c === 'FramesmithError' || firstParam.get(c) === 'code'));
  return { withCode, all };
}

/** Functions whose first parameter `code` goes straight into `new FramesmithError(code, …)`. */
function codeHelpers(classes: Set<string>): Set<string> {
  const helpers = new Set<string>();
  const passesCode = (body: ts.Node): boolean => {
    let found = false;
    const visit = (n: ts.Node) => {
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && classes.has(n.expression.text)) {
        const a = n.arguments?.[0];
        if (a && ts.isIdentifier(a) && a.text === 'code') found = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return found;
  };
  for (const { sf } of files) {
    const visit = (node: ts.Node) => {
      let name: string | undefined;
      let fn: (ts.SignatureDeclaration & { body?: ts.Node }) | undefined;
      if (ts.isFunctionDeclaration(node) && node.name) {
        name = node.name.text;
        fn = node;
      }
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.initializer &&
        (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))
      ) {
        name = node.name.text;
        fn = node.initializer;
      }
      const p = fn?.parameters[0]?.name;
      if (name && fn?.body && p && ts.isIdentifier(p) && p.text === 'code' && passesCode(fn.body)) helpers.add(name);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return helpers;
}

function throwSites(): Site[] {
  const { withCode } = errorClasses();
  const helpers = codeHelpers(withCode);
  const sites: Site[] = [];
  for (const { file, sf } of files) {
    const visit = (node: ts.Node) => {
      let arg: ts.Expression | undefined;
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && withCode.has(node.expression.text)) arg = node.arguments?.[0];
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && helpers.has(node.expression.text)) arg = node.arguments[0];
      // `FramesmithError.passOn(x.code, …)` keeps a code made elsewhere; anything else there is a new code in disguise.
      const passOn = ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'passOn';
      if (passOn) arg = node.arguments[0];
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
        const cls = ts.findAncestor(node, ts.isClassDeclaration);
        const ext = cls?.heritageClauses?.[0]?.types[0]?.expression;
        if (ext && ts.isIdentifier(ext) && withCode.has(ext.text)) arg = node.arguments[0];
      }
      // `{ code: 'x', message, hint }` returned by a rule function (`…Problem(): UsageProblem | null`).
      if (ts.isObjectLiteralExpression(node)) {
        const fn = ts.findAncestor(node, (n) => ts.isFunctionLike(n)) as ts.SignatureDeclaration | undefined;
        const prop = node.properties.find((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'code') as
          ts.PropertyAssignment | undefined;
        if (prop && fn?.type && /\bUsageProblem\b/.test(fn.type.getText())) arg = prop.initializer;
      }
      // `code as ErrorCode` (FramesmithError.passOn) is read as `code`.
      while (arg && ts.isAsExpression(arg)) arg = arg.expression;
      if (arg) {
        const where = `${relative(REPO, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (passOn && !(ts.isPropertyAccessExpression(arg) && arg.name.text === 'code'))
          sites.push({ where, other: `passOn(${arg.getText()})` });
        else if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) sites.push({ where, code: arg.text });
        else if (ts.isTemplateExpression(arg)) sites.push({ where, code: arg.head.text, template: true });
        else if (ts.isPropertyAccessExpression(arg) && arg.name.text === 'code') sites.push({ where });
        else if (!(ts.isIdentifier(arg) && arg.text === 'code')) sites.push({ where, other: arg.getText() });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return sites;
}

describe('the error catalog', () => {
  const sites = throwSites();
  const codes = Object.keys(ERROR_CATALOG) as ErrorCode[];

  it('finds the places that throw (the scan itself works)', () => {
    expect(sites.length).toBeGreaterThan(100);
    expect(sites.some((s) => s.code === 'invalid_frames')).toBe(true); // through render/options.ts's usage() helper
    expect(sites.some((s) => s.code === 'invalid_fps')).toBe(true); // a UsageProblem of options/render-params.ts
    expect(sites.some((s) => s.code === 'cancelled')).toBe(true); // CancelledError's super()
  });

  it('holds every code thrown in src/', () => {
    const missing = sites.filter((s) => s.code !== undefined && !s.template && !isErrorCode(s.code)).map((s) => `${s.where}: ${s.code}`);
    expect(missing, 'add these codes to src/core/error-catalog.ts').toEqual([]);
    const templates = sites.filter((s) => s.template && !codes.some((c) => c.startsWith(s.code!))).map((s) => `${s.where}: ${s.code}…`);
    expect(templates, 'a code built from a template must match catalog codes').toEqual([]);
    const unknown = sites.filter((s) => s.other !== undefined).map((s) => `${s.where}: ${s.other}`);
    expect(unknown, "write the code out, or pass on an existing error's .code").toEqual([]);
  });

  it('holds only codes that something throws', () => {
    const thrown = new Set(sites.filter((s) => s.code && !s.template).map((s) => s.code));
    const families = sites.filter((s) => s.template).map((s) => s.code!);
    // `internal` is the CLI's answer to a crash (src/cli.ts), not a thrown error.
    const unused = codes.filter((c) => c !== 'internal' && !thrown.has(c) && !families.some((f) => c.startsWith(f)));
    expect(unused, 'remove these from the catalog, or throw them').toEqual([]);
  });

  it('gives every code an area, a title, a hint and exit codes that the exit-code table describes', () => {
    const described = new Set(EXIT_CODES.map((e) => e.code));
    for (const code of codes) {
      const info = ERROR_CATALOG[code];
      expect(Object.keys(ERROR_AREAS), code).toContain(info.area);
      expect(info.title.length, code).toBeGreaterThan(5);
      expect(info.hint.length, code).toBeGreaterThan(10);
      expect(info.hint, `${code}: a hint is a complete text, with no … placeholder`).not.toContain('…');
      for (const exit of exitCodesOf(code)) expect(described.has(exit), `${code}: exit ${exit}`).toBe(true);
    }
  });

  it('names every exit code the table describes, and only those', () => {
    expect(new Set(Object.values(EXIT))).toEqual(new Set(EXIT_CODES.map((e) => e.code)));
  });
});
