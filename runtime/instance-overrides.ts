/**
 * For the dev preview only: `boot.instanceValues` replaces the `data-variable-values` of chosen
 * sub-composition hosts (keyed by instance path, see shared/live.ts) before they mount, so
 * the preview can try other values for an instance without touching the file. A host is
 * rewritten as soon as it enters the document (parsed, or inserted by its parent's mount),
 * which is before the mount reads it. Renders never pass these values.
 */
import type { VariableValues } from '../shared/variables';
import { hostKey } from './inspect';

export function installInstanceOverrides(doc: Document, overrides: Record<string, VariableValues> | undefined): void {
  if (!overrides || typeof overrides !== 'object' || !Object.keys(overrides).length) return;
  const done = new WeakSet<Element>();
  const apply = (host: Element) => {
    if (done.has(host)) return;
    done.add(host);
    const values = overrides[hostKey(host)];
    if (values && typeof values === 'object') host.setAttribute('data-variable-values', JSON.stringify(values));
  };
  const scan = (node: Node) => {
    if (!(node instanceof Element)) return;
    if (node.hasAttribute('data-composition-src')) apply(node);
    for (const host of node.querySelectorAll('[data-composition-src]')) apply(host);
  };
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) scan(n);
  }).observe(doc, { childList: true, subtree: true });
  if (doc.documentElement) scan(doc.documentElement);
}
