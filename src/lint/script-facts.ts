/**
 * What a parsed script does, as far as the composition contract cares: which clock and
 * randomness sources it calls, where it registers timelines, whether it builds GSAP timelines,
 * repeats forever, defines engine-owned globals, drives media, hides clip elements, or loops
 * with no way out.
 * One walk per script; the rules read these facts.
 */
import type { Node as AcornNode } from 'acorn';
import { ancestor, simple } from 'acorn-walk';
import type { SourceLocation } from '../../shared/diagnostics.js';
import { unitLocation, type ScriptUnit } from './scripts.js';
import { TIMELINE_PROPERTIES_MISSING } from '../../shared/render-mode.js';

export type ClockKind =
  'Date.now()' | 'new Date()' | 'Date()' | 'performance.now()' | 'Math.random()' | 'crypto.getRandomValues()' | 'gsap.utils.random()';

export interface ScriptFacts {
  unit: ScriptUnit;
  clock: { kind: ClockKind; loc: SourceLocation }[];
  raf: SourceLocation[];
  /** setTimeout / setInterval calls (real time in HeyGen's renderer). */
  timers: { kind: 'setTimeout' | 'setInterval'; loc: SourceLocation }[];
  /** Assignments into window.__timelines; key null when computed at run time. */
  registrations: { key: string | null; loc: SourceLocation }[];
  /** Whether the code mentions __timelines at all. */
  touchesRegistry: boolean;
  timelines: SourceLocation[];
  infiniteRepeats: SourceLocation[];
  engineGlobals: { name: string; loc: SourceLocation }[];
  mediaControl: { what: string; target: string; loc: SourceLocation }[];
  /** Tweens that set visibility/display/autoAlpha on `#id`. */
  visibilityTweens: { id: string; prop: string; loc: SourceLocation }[];
  /** Reads the global `gsap` without declaring or importing it. */
  usesGsapGlobal: boolean;
  /** Reads of GSAP timeline properties HeyGen's renderer does not provide (`tl.labels`, ...). */
  timelineProperties: { object: string; property: string; loc: SourceLocation }[];
  /** `while (true)` / `do … while (true)` / `for (;;)` loops that nothing can end. */
  endlessLoops: { kind: string; loc: SourceLocation }[];
}

/** Globals the engine (and framesmith's runtime) sets; authored code must not define them. */
export const ENGINE_GLOBALS = new Set([
  '__player',
  '__hf',
  '__playerReady',
  '__renderReady',
  '__hyperframes',
  '__hfVariables',
  '__framesmith',
  '__framesmithBoot',
]);
const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self']);
const TWEEN_METHODS = new Set(['to', 'from', 'fromTo', 'set']);
const HIDING_PROPS = new Set(['visibility', 'display', 'autoAlpha']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an ESTree node of any type, read field by field as the walk finds it.
type N = AcornNode & Record<string, any>;

/** `a.b["c"]` → ['a','b','c']; null when any part is dynamic. */
function path(node: N): string[] | null {
  if (node.type === 'Identifier') return [node.name];
  if (node.type === 'ThisExpression') return ['this'];
  if (node.type === 'MemberExpression') {
    const obj = path(node.object);
    if (!obj) return null;
    if (!node.computed && node.property.type === 'Identifier') return [...obj, node.property.name];
    if (node.computed && node.property.type === 'Literal' && typeof node.property.value === 'string') return [...obj, node.property.value];
    return null;
  }
  return null;
}

/** Drops a leading `window.`/`globalThis.`/`self.`. */
function globalPath(node: N): string | null {
  const p = path(node);
  if (!p) return null;
  return (p.length > 1 && GLOBAL_OBJECTS.has(p[0]) ? p.slice(1) : p).join('.');
}

const isMinusOne = (n: N | undefined) =>
  !!n &&
  ((n.type === 'UnaryExpression' && n.operator === '-' && n.argument.type === 'Literal' && n.argument.value === 1) ||
    (n.type === 'Literal' && n.value === -1));

function stringArg(n: N | undefined): string | null {
  if (!n) return null;
  if (n.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0].value.cooked ?? null;
  return null;
}

/** A loop test that is always true: none (`for (;;)`), a truthy literal, or `!0` / `!false`. */
function alwaysTrue(test: N | null | undefined): boolean {
  if (!test) return true;
  if (test.type === 'Literal') return Boolean(test.value) && !(test as N).regex;
  if (test.type === 'UnaryExpression' && test.operator === '!' && test.argument.type === 'Literal') return !test.argument.value;
  return false;
}

const FUNCTION_NODES = new Set(['FunctionExpression', 'FunctionDeclaration', 'ArrowFunctionExpression', 'ClassBody']);
const BREAKABLE = new Set(['WhileStatement', 'DoWhileStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'SwitchStatement']);
/** Anything that ends the loop, gives control back (await, yield), or may throw out of it (a call). */
const LEAVING = new Set([
  'ReturnStatement',
  'ThrowStatement',
  'AwaitExpression',
  'YieldExpression',
  'CallExpression',
  'NewExpression',
  'TaggedTemplateExpression',
  'ImportExpression',
]);

/**
 * Whether anything in `roots` (a loop's body and update) can end the loop: a break that leaves
 * it (unlabelled and not inside an inner loop or switch, or to a label declared outside it), a
 * return, a throw, an await or yield, or a call (which may throw). Walked with a stack; nested
 * functions are not entered (their returns end them, not the loop).
 */
function mayLeave(roots: N[], outerLabels: Set<string>): boolean {
  const stack: { node: N; nested: boolean; inner: Set<string> }[] = roots.map((node) => ({
    node,
    nested: false,
    inner: new Set<string>(),
  }));
  while (stack.length) {
    const { node, nested, inner } = stack.pop()!;
    if (LEAVING.has(node.type)) return true;
    if (node.type === 'BreakStatement') {
      if (!node.label ? !nested : !inner.has(node.label.name) || outerLabels.has(node.label.name)) return true;
      continue;
    }
    if (FUNCTION_NODES.has(node.type)) continue;
    const childNested = nested || BREAKABLE.has(node.type);
    const childInner = node.type === 'LabeledStatement' ? new Set([...inner, node.label.name]) : inner;
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'start' || key === 'end') continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const v of value) if (v && typeof v.type === 'string') stack.push({ node: v, nested: childNested, inner: childInner });
      } else if (value && typeof value === 'object' && typeof value.type === 'string') {
        stack.push({ node: value, nested: childNested, inner: childInner });
      }
    }
  }
  return false;
}

/** Facts of one unit; `isMedia(selectorOrId, byId)` says whether a lookup names managed media. */
export function scriptFacts(unit: ScriptUnit, isMedia: (query: string, byId: boolean) => boolean): ScriptFacts {
  const facts: ScriptFacts = {
    unit,
    clock: [],
    raf: [],
    timers: [],
    registrations: [],
    touchesRegistry: false,
    timelines: [],
    infiniteRepeats: [],
    engineGlobals: [],
    mediaControl: [],
    visibilityTweens: [],
    usesGsapGlobal: false,
    endlessLoops: [],
    timelineProperties: [],
  };
  const ast = unit.ast as N | null;
  if (!ast) return facts;
  const at = (n: N) => unitLocation(unit, n.loc?.start);
  const declared = new Set<string>();
  let gsapRead = false;
  /** Variables bound to a media element lookup: name → what it looked up. */
  const mediaVars = new Map<string, string>();

  const mediaLookup = (n: N | undefined): string | null => {
    if (!n || n.type !== 'CallExpression') return null;
    const callee = globalPath(n.callee);
    const q = stringArg(n.arguments[0]);
    if (q === null) return null;
    if (callee === 'document.getElementById') return isMedia(q, true) ? `#${q}` : null;
    if (callee === 'document.querySelector') return isMedia(q, false) ? q : null;
    return null;
  };
  const mediaTarget = (n: N): string | null => (n.type === 'Identifier' ? (mediaVars.get(n.name) ?? null) : mediaLookup(n));
  /** Variables holding a timeline: `const tl = gsap.timeline(...)` (also through a call chain). */
  const timelineVars = new Set<string>();
  const makesTimeline = (n: N | undefined): boolean => {
    for (let c = n; c && c.type === 'CallExpression'; c = c.callee.type === 'MemberExpression' ? c.callee.object : undefined) {
      if (globalPath(c.callee) === 'gsap.timeline') return true;
    }
    return false;
  };
  /** Member expressions written to (`tl.labels = ...`): reads only are findings. */
  const written = new Set<N>();

  // First pass: declarations (for scope of `gsap`) and media-bound variables.
  simple(ast, {
    VariableDeclarator(n: N) {
      if (n.id.type === 'Identifier') {
        declared.add(n.id.name);
        const target = mediaLookup(n.init);
        if (target) mediaVars.set(n.id.name, target);
        if (makesTimeline(n.init)) timelineVars.add(n.id.name);
      }
    },
    AssignmentExpression(n: N) {
      if (n.left.type === 'Identifier' && makesTimeline(n.right)) timelineVars.add(n.left.name);
      if (n.left.type === 'MemberExpression') written.add(n.left);
    },
    FunctionDeclaration(n: N) {
      if (n.id) declared.add(n.id.name);
    },
    ImportSpecifier(n: N) {
      declared.add(n.local.name);
    },
    ImportDefaultSpecifier(n: N) {
      declared.add(n.local.name);
    },
    ImportNamespaceSpecifier(n: N) {
      declared.add(n.local.name);
    },
  } as never);

  const loop = (kind: string) => (n: N, ancestors: N[]) => {
    if (!alwaysTrue(n.type === 'ForStatement' ? n.test : n.test)) return;
    const labels = new Set<string>();
    for (let i = ancestors.length - 2; i >= 0 && ancestors[i].type === 'LabeledStatement'; i--) labels.add(ancestors[i].label.name);
    const parts = n.type === 'ForStatement' ? [n.body, n.update] : [n.body];
    if (!mayLeave(parts.filter(Boolean), labels)) facts.endlessLoops.push({ kind, loc: at(n) });
  };
  ancestor(ast, {
    WhileStatement: loop('while (true)'),
    DoWhileStatement: loop('do … while (true)'),
    ForStatement: loop('for (;;)'),
  } as never);

  simple(ast, {
    Identifier(n: N) {
      if (n.name === 'gsap') gsapRead = true;
      if (n.name === '__timelines') facts.touchesRegistry = true;
    },
    MemberExpression(n: N) {
      if (!n.computed && n.property.type === 'Identifier' && n.property.name === '__timelines') facts.touchesRegistry = true;
      const property = n.computed ? stringArg(n.property) : n.property.type === 'Identifier' ? n.property.name : null;
      if (!property || !Object.hasOwn(TIMELINE_PROPERTIES_MISSING, property) || written.has(n)) return;
      const obj = n.object as N;
      const registryPath = globalPath(obj);
      const object =
        obj.type === 'Identifier' && timelineVars.has(obj.name)
          ? obj.name
          : makesTimeline(obj)
            ? 'gsap.timeline()'
            : registryPath && /^__timelines\.[^.]+$/.test(registryPath)
              ? `window.${registryPath}`
              : null;
      if (object) facts.timelineProperties.push({ object, property, loc: at(n) });
    },
    NewExpression(n: N) {
      if (globalPath(n.callee) === 'Date' && n.arguments.length === 0) facts.clock.push({ kind: 'new Date()', loc: at(n) });
    },
    CallExpression(n: N) {
      const callee = globalPath(n.callee);
      const clock: Record<string, ClockKind> = {
        'Date.now': 'Date.now()',
        Date: 'Date()',
        'performance.now': 'performance.now()',
        'Math.random': 'Math.random()',
        'crypto.getRandomValues': 'crypto.getRandomValues()',
        'gsap.utils.random': 'gsap.utils.random()',
      };
      if (callee && clock[callee]) facts.clock.push({ kind: clock[callee], loc: at(n) });
      if (callee === 'requestAnimationFrame') facts.raf.push(at(n));
      if (callee === 'setTimeout' || callee === 'setInterval') facts.timers.push({ kind: callee, loc: at(n) });
      if (callee === 'gsap.timeline') facts.timelines.push(at(n));
      if (n.callee.type !== 'MemberExpression' || n.callee.computed || n.callee.property.type !== 'Identifier') return;
      const method = n.callee.property.name as string;
      if (method === 'repeat' && isMinusOne(n.arguments[0])) facts.infiniteRepeats.push(at(n));
      if (method === 'play' || method === 'pause') {
        const target = mediaTarget(n.callee.object);
        if (target) facts.mediaControl.push({ what: `${method}()`, target, loc: at(n) });
      }
      if (TWEEN_METHODS.has(method)) {
        const sel = stringArg(n.arguments[0]);
        const m = sel ? /^#([A-Za-z_][\w-]*)$/.exec(sel.trim()) : null;
        if (!m) return;
        for (const arg of n.arguments.slice(1) as N[]) {
          if (arg.type !== 'ObjectExpression') continue;
          for (const p of arg.properties as N[]) {
            const key = p.type === 'Property' ? (p.key.type === 'Identifier' ? p.key.name : p.key.value) : null;
            if (typeof key === 'string' && HIDING_PROPS.has(key)) facts.visibilityTweens.push({ id: m[1], prop: key, loc: at(p) });
          }
        }
      }
    },
    Property(n: N) {
      const key = n.key.type === 'Identifier' ? n.key.name : n.key.value;
      if (key === 'repeat' && !n.computed && isMinusOne(n.value)) facts.infiniteRepeats.push(at(n));
    },
    AssignmentExpression(n: N) {
      const left = n.left as N;
      if (left.type === 'MemberExpression') {
        const target = globalPath(left);
        if (target && ENGINE_GLOBALS.has(target)) facts.engineGlobals.push({ name: target, loc: at(n) });
        if (target === '__timelines' && n.right.type === 'ObjectExpression') {
          for (const p of n.right.properties as N[]) {
            if (p.type !== 'Property') continue;
            const key = p.computed ? stringArg(p.key) : p.key.type === 'Identifier' ? p.key.name : String(p.key.value);
            facts.registrations.push({ key, loc: at(p) });
          }
        }
        const objPath = globalPath(left.object);
        if (objPath === '__timelines') {
          const key = left.computed ? stringArg(left.property) : left.property.name;
          facts.registrations.push({ key, loc: at(n) });
        }
        if (!left.computed && left.property.type === 'Identifier' && left.property.name === 'currentTime') {
          const target = mediaTarget(left.object);
          if (target) facts.mediaControl.push({ what: 'currentTime =', target, loc: at(n) });
        }
      }
    },
  } as never);

  // Classic scripts share one global scope: top-level declarations become window properties.
  if (!unit.module) {
    for (const stmt of ast.body as N[]) {
      const names: { name: string; node: N }[] = [];
      if (stmt.type === 'FunctionDeclaration' && stmt.id) names.push({ name: stmt.id.name, node: stmt });
      if (stmt.type === 'VariableDeclaration')
        for (const d of stmt.declarations) if (d.id.type === 'Identifier') names.push({ name: d.id.name, node: d });
      for (const { name, node } of names) if (ENGINE_GLOBALS.has(name)) facts.engineGlobals.push({ name, loc: at(node) });
    }
  }
  facts.usesGsapGlobal = gsapRead && !declared.has('gsap');
  return facts;
}
