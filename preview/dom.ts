/**
 * A tiny element builder for the preview UI: `h('button', { class: 'x', onclick }, 'Play')`.
 * Attributes starting with `on` become listeners; `false`/`undefined` attributes are left out.
 */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, unknown>;

/** Creates an element with attributes, listeners and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false || value === null) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value as EventListener);
    else if (name === 'class') el.className = String(value);
    else if (name === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else if (name in el && typeof value !== 'string') (el as unknown as Record<string, unknown>)[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces all children. */
export function replaceChildren(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

/** An inline SVG icon from a path list (24×24 viewBox, stroked or filled). */
export function icon(paths: string, { filled = false, size = 16 } = {}): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('icon');
  for (const d of paths.split('|')) {
    const p = document.createElementNS(ns, 'path');
    p.setAttribute('d', d);
    if (filled) p.setAttribute('fill', 'currentColor');
    else {
      p.setAttribute('fill', 'none');
      p.setAttribute('stroke', 'currentColor');
      p.setAttribute('stroke-width', '2');
      p.setAttribute('stroke-linecap', 'round');
      p.setAttribute('stroke-linejoin', 'round');
    }
    svg.append(p);
  }
  return svg;
}

/** Icon paths (24×24). */
export const ICONS = {
  play: 'M7 4.5v15l13-7.5z',
  pause: 'M6 4h4v16H6z|M14 4h4v16h-4z',
  start: 'M5 4v16|M19 5v14l-11-7z',
  end: 'M19 4v16|M5 5v14l11-7z',
  stepBack: 'M17 6v12l-8-6z|M7 6v12',
  stepForward: 'M7 6v12l8-6z|M17 6v12',
  loop: 'M17 2l4 4-4 4|M3 11v-1a4 4 0 0 1 4-4h14|M7 22l-4-4 4-4|M21 13v1a4 4 0 0 1-4 4H3',
  help: 'M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z|M9.1 9a3 3 0 0 1 5.8 1c0 2-3 3-3 3|M12 17h.01',
  copy: 'M9 9h11v11H9z|M5 15H4V4h11v1',
  reset: 'M3 12a9 9 0 1 0 3-6.7L3 8|M3 3v5h5',
  close: 'M18 6L6 18|M6 6l12 12',
  chevron: 'M6 9l6 6 6-6',
  safe: 'M3 3h18v18H3z|M7 7h10v10H7z',
  checker: 'M3 3h9v9H3z|M12 12h9v9h-9z|M3 3h18v18H3z',
  warn: 'M10.3 3.9L1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z|M12 9v4|M12 17h.01',
  film: 'M3 3h18v18H3z|M7 3v18|M17 3v18|M3 8h4|M3 16h4|M17 8h4|M17 16h4',
  plus: 'M12 5v14|M5 12h14',
  minus: 'M5 12h14',
  volume: 'M11 5L6 9H2v6h4l5 4z|M15.5 8.5a5 5 0 0 1 0 7|M19 5a10 10 0 0 1 0 14',
  mute: 'M11 5L6 9H2v6h4l5 4z|M23 9l-6 6|M17 9l6 6',
  fullscreen: 'M8 3H3v5|M21 8V3h-5|M16 21h5v-5|M3 16v5h5',
  error: 'M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z|M15 9l-6 6|M9 9l6 6',
  check: 'M20 6L9 17l-5-5',
  external: 'M14 3h7v7|M10 14L21 3|M21 14v7H3V3h7',
  sidebar: 'M3 3h18v18H3z|M15 3v18',
};
