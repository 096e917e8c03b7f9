/**
 * Sub-compositions: a host element with `data-composition-src` gets the child file's composition
 * mounted inside it. The child may wrap its markup in a <template> or be a full document. Its
 * styles are scoped under `[data-composition-id="X"]`, its scripts run in order after mounting,
 * and while they run `__hyperframes.getVariables()` answers with this instance's values.
 * Hosts inside mounted children are mounted too (recursively, with a cycle guard).
 */
import type { VariableValues } from '../src/shared/variables';
import { native } from './native';
import type { ProblemCollector } from './problems';
import { scopeCss } from './scope-css';
import { applyBindings, readDeclarations, readInstanceValues, resolveValues, setCustomProperties } from './variables';
import { registry } from './timelines';

export interface MountedInstance {
  host: HTMLElement;
  root: HTMLElement;
  compositionId: string;
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
      problems.add({ kind: 'contract', code: 'subcomposition_cycle', message: `Sub-compositions include each other: ${[...chain, src].join(' → ')}`, loc: where });
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
      });
    }
    mounted.push(...(await mountSubCompositions(instance.root, problems, instance.values, [...chain, src])));
  }
  return mounted;
}

function mountOne(host: HTMLElement, file: string, id: string, text: string, problems: ProblemCollector, parentValues: VariableValues): MountedInstance | null {
  const doc = new DOMParser().parseFromString(text, 'text/html');
  const selector = `[data-composition-id="${CSS.escape(id)}"]`;
  const template = [...doc.querySelectorAll('template')].find((t) => t.content.querySelector(selector));
  const source: ParentNode = template ? template.content : doc.body;
  const childRoot = source.querySelector<HTMLElement>(selector);
  if (!childRoot) {
    problems.add({
      kind: 'contract',
      code: 'subcomposition_id_mismatch',
      message: `${file} has no element with data-composition-id="${id}" (the host's id).`,
      hint: 'Give the child root the same data-composition-id as the host element.',
      loc: { file, line: 0, column: 0 },
    });
    return null;
  }
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
  host.appendChild(root);
  const declarations = readDeclarations(root.hasAttribute('data-composition-variables') ? root : doc.documentElement, problems, file);
  const values = resolveValues(declarations, readInstanceValues(host, problems, file));
  void parentValues;
  setCustomProperties(host, values);
  applyBindings(root, values);
  return { host, root, compositionId: id, file, values, timeline: undefined };
}

/** A `document` whose queries only see the nodes inside one sub-composition host. */
function scopedDocument(host: Element): Document {
  const scoped: Record<string, unknown> = {
    querySelector: (sel: string) => host.querySelector(sel),
    querySelectorAll: (sel: string) => host.querySelectorAll(sel),
    getElementById: (id: string) => host.querySelector(`#${CSS.escape(id)}`),
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

const scopes: { host: Element; document: Document }[] = [];
Object.defineProperty(window, '__framesmithScope', { value: (i: number) => scopes[i], enumerable: false });

/**
 * Runs the child's scripts (inline and src, in document order) as one script, as the engine
 * does: inside it `document` queries and GSAP selector strings only see this instance's nodes,
 * and `__hyperframes.getVariables()` returns this instance's values. Lines stay true for errors.
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
        const res = await native.fetch(url);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        parts.push(await res.text());
      } catch (e) {
        throw Object.assign(new Error(`Could not load ${original.getAttribute('src')} for ${instance.file}: ${(e as Error).message}`), { url });
      }
    } else {
      const code = original.textContent ?? '';
      if (!parts.length) firstLine = text.slice(0, Math.max(0, text.indexOf(code))).split('\n').length - 1;
      parts.push(code);
    }
  }
  const index = scopes.push({ host: instance.host, document: scopedDocument(instance.host) }) - 1;
  const s = document.createElement('script');
  scriptOwners.set(s, instance);
  s.textContent =
    '\n'.repeat(firstLine) +
    `(function(document){var __scope=window.__framesmithScope(${index});` +
    `var __run=function(){${parts.join('\n;\n')}\n};` +
    `if(window.gsap&&typeof gsap.context==="function"){gsap.context(__run,__scope.host)}else{__run()}` +
    `}).call(window,window.__framesmithScope(${index}).document);` +
    `\n//# sourceURL=${projectUrl(instance.file).href}`;
  const reg = registry();
  const before = reg[instance.compositionId];
  delete reg[instance.compositionId];
  instance.host.appendChild(s);
  instance.timeline = reg[instance.compositionId];
  if (instance.timeline === undefined && before !== undefined) reg[instance.compositionId] = before;
}
