/**
 * framesmith's composition runtime, injected by our servers as the first script of a composition
 * page (never written into user files or bundles). Order matters: the clock and error collection
 * are installed before any page script runs; `window.__hyperframes` exists before body scripts;
 * variable bindings are applied as elements are parsed, so scripts already see the values.
 */
import { BOOT_GLOBAL, CONTROL_GLOBAL, type BootOptions } from '../shared/control';
import type { VariableDeclaration, VariableValues } from '../shared/variables';
import { VirtualClock } from './clock';
import { createControl } from './control';
import { ProblemCollector } from './problems';
import { findRoot } from './scene';
import { scriptOwners } from './subcompositions';
import { installBaseStyles } from './page-setup';
import { installTimelineBatching } from './timeline-batching';
import { trackPendingRequests } from './pending';
import { installBodyScripts } from './script-runs';
import { captureGsapWarnings } from './gsap-warnings';
import { installInstanceOverrides } from './instance-overrides';
import { applyBindings, readDeclarations, resolveValues, setCustomProperties } from './variables';

type HfWindow = Window &
  typeof globalThis & {
    __hfVariables?: VariableValues;
    __hyperframes?: Record<string, unknown>;
    __timelines?: Record<string, unknown>;
    [key: string]: unknown;
  };

function start(win: HfWindow): void {
  if (win[CONTROL_GLOBAL]) return;
  const boot: BootOptions = (win[BOOT_GLOBAL] as BootOptions | undefined) ?? {};
  const problems = new ProblemCollector();
  problems.install(win);
  captureGsapWarnings(win, problems);
  installInstanceOverrides(document, boot.instanceValues);
  const clock = new VirtualClock(boot.seed ?? 0x5eed);
  clock.onRunaway = (message) =>
    problems.add({
      kind: 'page-error',
      code: 'timer_loop',
      message: `A script's timers loop without end: ${message}`,
      hint: 'Remove the zero-delay timer loop; drive motion from the GSAP timeline.',
      fatal: false,
    });
  clock.install(win);
  trackPendingRequests(win);
  const bodyScripts = installBodyScripts(win, problems, decodeURIComponent(win.location.pathname.replace(/^\//, '')) || 'index.html');
  // HeyGen's runtime defines the registry before any page script, so scripts may write to it
  // without creating it first.
  if (!win.__timelines || typeof win.__timelines !== 'object') win.__timelines = {};
  const batching = installTimelineBatching(win, {
    strict: (boot.engineMode ?? 'render') === 'render',
    onMissingRead: (read) =>
      problems.add({
        kind: 'contract',
        code: 'timeline_property_unavailable',
        message: `\`tl.${read.property}\` is undefined in HeyGen's renderer, which hands scripts a stand-in for each GSAP timeline that forwards its methods but not its properties.`,
        hint: `${read.fix[0].toUpperCase()}${read.fix.slice(1)}.`,
        loc: read.loc,
        fatal: false,
      }),
  });

  installBaseStyles(document);
  win.__hfVariables = boot.variables ?? {};
  const file = decodeURIComponent(win.location.pathname.replace(/^\//, '')) || 'index.html';
  // Like the engine, the root's values merge the defaults of every declaration in the document
  // (sub-compositions' too, once mounted), then the overrides.
  const declared = new WeakMap<Element, VariableDeclaration[]>();
  const declarationsOf = (el: Element) => {
    let d = declared.get(el);
    if (!d) declared.set(el, (d = readDeclarations(el, problems, file)));
    return d;
  };
  const rootValues = (): VariableValues => {
    const all = [document.documentElement, ...document.querySelectorAll('body [data-composition-variables]')].flatMap(declarationsOf);
    return resolveValues(all, win.__hfVariables);
  };

  win.__hyperframes = {
    ...(win.__hyperframes ?? {}),
    /** Declared defaults merged with render-time overrides; inside a sub-composition's script, that instance's values. */
    getVariables(): VariableValues {
      const owner = document.currentScript ? scriptOwners.get(document.currentScript) : undefined;
      return { ...(owner ? owner.values : rootValues()) };
    },
  };

  // Bind values as the parser adds elements: a microtask checkpoint runs before each parser-
  // inserted script, so body scripts already see bound text, sources and custom properties.
  // The ancestors of the newest script are still open (their children are arriving): skip them.
  const observer = new MutationObserver(() => {
    const root = findRoot(document);
    if (!root) return;
    const last = document.scripts[document.scripts.length - 1];
    applyBindings(root, rootValues(), (el) => !!last && el.contains(last));
  });
  observer.observe(document, { childList: true, subtree: true });

  const control = createControl({
    clock,
    problems,
    batching,
    bodyScripts: bodyScripts.done,
    boot,
    rootValues,
    applyRootBindings(root) {
      observer.disconnect();
      const values = rootValues();
      setCustomProperties(document.documentElement, values);
      applyBindings(root, values);
    },
  });
  Object.defineProperty(win, CONTROL_GLOBAL, { value: control, configurable: false, enumerable: false, writable: false });
}

start(window as HfWindow);
