/**
 * Sub-compositions: a host element with `data-composition-src` gets the child file's composition
 * mounted inside it. The child may wrap its markup in a <template> or be a full document. Its
 * styles are scoped under `[data-composition-id="X"]`, its scripts run in order after mounting,
 * and while they run `__hyperframes.getVariables()` answers with this instance's values.
 * Hosts inside mounted children are mounted too (recursively, with a cycle guard).
 */
import type { VariableValues } from '../shared/variables';
import { native } from './native';
import type { ProblemCollector } from './problems';
import { INNER_ROOT_ATTR, scopeCss } from './scope-css';
import { applyBindings, readDeclarations, readInstanceValues, resolveValues, setCustomProperties } from './variables';
import { registry } from './timelines';
import { OWN_SCRIPT_ATTR } from './script-runs';

export interface MountedInstance {
  host: HTMLElement;
  root: HTMLElement;
  compositionId: string;
  /** The data-composition-id the file's own root has (the host's id wins when they differ). */
  fileId: string;
  file: string;
  values: VariableValues;
  /** The timeline this instance's scripts registered, if any. */
  timeline: unknown;
}

const mountedHosts = new WeakSet<Element>();

/** Scripts currently running for an instance, so getVariables() knows whose values to return. */
export const scriptOwners = new WeakMap<Element, MountedInstance>();

function projectUrl(src: string): URL {
  // Paths resolve from the project root, which is where the entry page is served from.
  return new URL(src.replace(/^\.?\//, ''), new URL('/', window.location.href));
}

/** Mounts every host under `scope`; returns the instances in document order (outer before inner). */
export async function mountSubCompositions(
  scope: Element,
  problems: ProblemCollector,
  parentValues: VariableValues,
  chain: string[] = [],
): Promise<MountedInstance[]> {
  const mounted: MountedInstance[] = [];
  for (const host of scope.querySelectorAll<HTMLElement>('[data-composition-src]')) {
    if (mountedHosts.has(host)) continue;
    const src = host.getAttribute('data-composition-src')!;
    const id = host.getAttribute('data-composition-id') ?? '';
    const where = { file: chain[chain.length - 1] ?? '', line: 0, column: 0 };
    if (chain.includes(src)) {
      problems.add({
        kind: 'contract',
        code: 'subcomposition_cycle',
        message: `Sub-compositions include each other: ${[...chain, src].join(' → ')}; the inner one is left out, as HeyGen's renderer does.`,
        loc: where,
        fatal: false,
      });
      continue;
    }
    mountedHosts.add(host);
    let text: string;
    try {
      const res = await native.fetch(projectUrl(src).href);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      text = await res.text();
    } catch (e) {
      problems.add({
        kind: 'asset',
        code: 'subcomposition_load_failed',
        message: `Could not load sub-composition ${src}: ${(e as Error).message}`,
        hint: 'data-composition-src is a path from the project root; check the file exists with this exact name.',
        url: projectUrl(src).href,
        loc: where,
        // HeyGen's renderer refuses a project whose data-composition-src files it cannot use.
        fatal: true,
      });
      continue;
    }
    const instance = mountOne(host, src, id, text, problems, parentValues);
    if (!instance) continue;
    mounted.push(instance);
    try {
      await runScripts(instance, text);
    } catch (e) {
      problems.add({
        kind: 'asset',
        code: 'subcomposition_script_failed',
        message: (e as Error).message,
        hint: 'Script paths in sub-compositions resolve from the project root.',
        url: (e as { url?: string }).url,
        loc: { file: src, line: 0, column: 0 },
        fatal: false,
      });
    }
    mounted.push(...(await mountSubCompositions(instance.root, problems, instance.values, [...chain, src])));
  }
  return mounted;
}

function mountOne(
  host: HTMLElement,
  file: string,
  id: string,
  text: string,
  problems: ProblemCollector,
  parentValues: VariableValues,
): MountedInstance | null {
  const doc = new DOMParser().parseFromString(text, 'text/html');
  const selector = `[data-composition-id="${CSS.escape(id)}"]`;
  const templates = [...doc.querySelectorAll('template')];
  let template = templates.find((t) => t.content.querySelector(selector));
  let source: ParentNode = template ? template.content : doc.body;
  let childRoot = source.querySelector<HTMLElement>(selector);
  if (!childRoot) {
    // HeyGen's renderer mounts the file's composition under the host's id all the same.
    template = templates.find((t) => t.content.querySelector('[data-composition-id]'));
    source = template ? template.content : doc.body;
    childRoot = source.querySelector<HTMLElement>('[data-composition-id]');
    if (!childRoot) {
      problems.add({
        kind: 'contract',
        code: 'missing_or_empty_sub_composition',
        message: `${file} has no element with data-composition-id: there is no composition to mount.`,
        hint: "Give the sub-composition's root element data-composition-id (the host's id), in a <template> or the <body>.",
        loc: { file, line: 0, column: 0 },
        fatal: true,
      });
      return null;
    }
    problems.add({
      kind: 'contract',
      code: 'subcomposition_id_mismatch',
      message: `${file}'s root has data-composition-id="${childRoot.getAttribute('data-composition-id')}", the host has "${id}"; it is mounted under "${id}", as HeyGen's renderer does.`,
      hint: 'Give the child root the same data-composition-id as the host element.',
      loc: { file, line: 0, column: 0 },
      fatal: false,
    });
  }
  const fileId = childRoot.getAttribute('data-composition-id') ?? id;
  const styles = [...(template ? [] : doc.head.querySelectorAll('style')), ...source.querySelectorAll('style')];
  for (const style of styles) {
    const scoped = document.createElement('style');
    scoped.setAttribute('data-framesmith-scope', id);
    scoped.textContent = scopeCss(style.textContent ?? '', `[data-composition-id="${id}"]`);
    host.appendChild(scoped);
  }
  for (const link of [...doc.querySelectorAll<HTMLLinkElement>('link[rel~="stylesheet"][href]')]) {
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = projectUrl(link.getAttribute('href')!).href;
    host.appendChild(l);
  }
  for (const s of source.querySelectorAll('script, style')) s.remove();
  const root = document.importNode(childRoot, true);
  // As HeyGen's renderer mounts it: the host carries the composition's timing (its own
  // data-start and data-duration; the child root's are not read), takes the child's size when it
  // has none, and the child root fills it.
  // Like the engine, the child root loses its data-composition-id (the host is the composition)
  // and keeps it under another name; rules written on the root reach it (see scope-css.ts).
  for (const attr of ['data-start', 'data-duration', 'data-end', 'data-composition-id']) {
    const v = root.getAttribute(attr);
    if (v === null) continue;
    root.setAttribute(`data-framesmith-authored-${attr.slice(5)}`, v);
    root.removeAttribute(attr);
  }
  root.setAttribute(INNER_ROOT_ATTR, '');
  for (const dim of ['width', 'height'] as const) {
    const v = root.getAttribute(`data-${dim}`);
    if (v && !host.getAttribute(`data-${dim}`)) host.setAttribute(`data-${dim}`, v);
    const hv = host.getAttribute(`data-${dim}`);
    if (hv && !(host.getAttribute('style') ?? '').includes(dim)) host.style.setProperty(dim, `${hv}px`);
    if (!(root.getAttribute('style') ?? '').includes(dim)) root.style.setProperty(dim, v ? `${v}px` : '100%');
  }
  host.appendChild(root);
  const declarations = readDeclarations(root.hasAttribute('data-composition-variables') ? root : doc.documentElement, problems, file);
  const values = resolveValues(declarations, readInstanceValues(host, problems, file));
  void parentValues;
  setCustomProperties(host, values);
  applyBindings(root, values);
  return { host, root, compositionId: id, fileId, file, values, timeline: undefined };
}

/** Nodes matching `selector` that are the host or inside it (HeyGen's scoping of a sub-composition's queries). */
function scopedAll(host: Element, selector: string): Element[] {
  return [...document.querySelectorAll(selector)].filter((n) => n === host || host.contains(n));
}

/** A `document` whose queries only see one sub-composition: its host and what is inside it. */
function scopedDocument(host: Element): Document {
  const scoped: Record<string, unknown> = {
    querySelector: (sel: string) => scopedAll(host, sel)[0] ?? null,
    querySelectorAll: (sel: string) => scopedAll(host, sel),
    getElementById: (id: string) => {
      const found = document.getElementById(id);
      if (found && (found === host || host.contains(found))) return found;
      return host.id === id ? host : host.querySelector(`[id="${CSS.escape(id)}"]`);
    },
    getElementsByClassName: (names: string) => host.getElementsByClassName(names),
    getElementsByTagName: (name: string) => host.getElementsByTagName(name),
  };
  return new Proxy(document, {
    get(target, prop) {
      if (typeof prop === 'string' && prop in scoped) return scoped[prop];
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

type GsapLike = Record<string, unknown> & { timeline(...a: unknown[]): Record<string, unknown>; utils?: Record<string, unknown> };
const TWEENS = ['to', 'from', 'fromTo', 'set'] as const;

/**
 * `gsap` as a sub-composition's script sees it in HeyGen's renderer: selector strings given to
 * gsap.to/from/fromTo/set, to the same methods of its timelines and to gsap.utils.toArray and
 * gsap.utils.selector only match inside the sub-composition; they are resolved when the call
 * is made (timelines apply their calls later).
 */
function scopedGsap(host: Element, base: GsapLike | undefined): GsapLike | undefined {
  if (!base) return base;
  const resolve = (target: unknown): unknown =>
    typeof target === 'string'
      ? scopedAll(host, target)
      : Array.isArray(target)
        ? target.flatMap((t) => (typeof t === 'string' ? scopedAll(host, t) : [t]))
        : target;
  const scopeTimeline = (tl: Record<string, unknown>) => {
    for (const m of TWEENS) {
      const original = tl[m];
      if (typeof original !== 'function') continue;
      tl[m] = function (this: unknown, target: unknown, ...rest: unknown[]) {
        return (original as (...a: unknown[]) => unknown).call(tl, resolve(target), ...rest);
      };
    }
    return tl;
  };
  return new Proxy(base, {
    get(target, prop) {
      if (prop === 'timeline') return (...args: unknown[]) => scopeTimeline(target.timeline(...args));
      if ((TWEENS as readonly (string | symbol)[]).includes(prop)) {
        return (first: unknown, ...rest: unknown[]) =>
          (target[prop as string] as (...a: unknown[]) => unknown).call(target, resolve(first), ...rest);
      }
      if (prop === 'utils' && target.utils) {
        const utils = target.utils;
        return new Proxy(utils, {
          get(u, up) {
            if (up === 'toArray')
              return (first: unknown, ...rest: unknown[]) => (u.toArray as (...a: unknown[]) => unknown).call(u, resolve(first), ...rest);
            if (up === 'selector') {
              return (base?: unknown) => {
                const scope = typeof base === 'string' ? (scopedAll(host, base)[0] ?? host) : ((base as Element | undefined) ?? host);
                return (sel: string) =>
                  typeof sel === 'string' ? [...document.querySelectorAll(sel)].filter((n) => n === scope || scope.contains(n)) : [];
              };
            }
            const v = Reflect.get(u, up, u);
            return typeof v === 'function' ? v.bind(u) : v;
          },
        });
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const scopes: { host: Element; document: Document; gsap(): GsapLike | undefined }[] = [];
Object.defineProperty(window, '__framesmithScope', { value: (i: number) => scopes[i], enumerable: false });

/** Loads one classic script from the project into the page, once per URL (as the engine hoists them). */
function loadScriptOnce(url: string): Promise<void> {
  const already = [...document.scripts].some((sc) => sc.src && new URL(sc.src, window.location.href).href === url);
  if (already) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const el = document.createElement('script');
    el.setAttribute(OWN_SCRIPT_ATTR, '');
    el.src = url;
    el.async = false;
    el.onload = () => resolve();
    el.onerror = () => reject(new Error('the script did not load'));
    document.head.appendChild(el);
  });
}

/**
 * Runs the child's scripts as the engine does: each `src` script once per page (skipped when the
 * page already loaded it), then the inline ones, in order, as one script in which `document`
 * queries and GSAP selector strings only see this instance's nodes and
 * `__hyperframes.getVariables()` returns this instance's values. Lines stay true for errors.
 */
async function runScripts(instance: MountedInstance, text: string): Promise<void> {
  const doc = new DOMParser().parseFromString(text, 'text/html');
  const template = doc.querySelector('template');
  // A server may have injected the runtime into the child file too; never run it twice.
  const scripts = [...doc.querySelectorAll('script'), ...(template ? template.content.querySelectorAll('script') : [])].filter(
    (sc) => !(sc.getAttribute('src') ?? '').includes('/__framesmith/') && !(sc.textContent ?? '').startsWith('window.__framesmithBoot='),
  );
  if (!scripts.length) return;
  const parts: string[] = [];
  let firstLine = 0;
  for (const original of scripts) {
    if (original.hasAttribute('src')) {
      const url = projectUrl(original.getAttribute('src')!).href;
      try {
        await loadScriptOnce(url);
      } catch (e) {
        throw Object.assign(new Error(`Could not load ${original.getAttribute('src')} for ${instance.file}: ${(e as Error).message}`), {
          url,
        });
      }
    } else {
      const code = original.textContent ?? '';
      if (!parts.length) firstLine = text.slice(0, Math.max(0, text.indexOf(code))).split('\n').length - 1;
      parts.push(code);
    }
  }
  if (!parts.length) return;
  const host = instance.host;
  const index =
    scopes.push({ host, document: scopedDocument(host), gsap: () => scopedGsap(host, (window as unknown as { gsap?: GsapLike }).gsap) }) -
    1;
  const s = document.createElement('script');
  s.setAttribute(OWN_SCRIPT_ATTR, '');
  scriptOwners.set(s, instance);
  s.textContent =
    '\n'.repeat(firstLine) +
    `(function(document,gsap){${parts.join('\n;\n')}\n}).call(window,window.__framesmithScope(${index}).document,window.__framesmithScope(${index}).gsap());` +
    `\n//# sourceURL=${projectUrl(instance.file).href}`;
  const reg = registry();
  const ids = [...new Set([instance.compositionId, instance.fileId])];
  const before = ids.map((k) => reg[k]);
  for (const k of ids) delete reg[k];
  instance.host.appendChild(s);
  instance.timeline = ids.map((k) => reg[k]).find((tl) => tl !== undefined);
  ids.forEach((k, i) => {
    if (reg[k] === undefined && before[i] !== undefined) reg[k] = before[i];
  });
  if (instance.timeline !== undefined && reg[instance.compositionId] === undefined)
    reg[instance.compositionId] = instance.timeline as (typeof reg)[string];
}
