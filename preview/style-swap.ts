/**
 * Stylesheet hot swap: find the <link> elements of a document that load the changed files, and
 * load each again under a fresh URL, removing the old one only once the new one has loaded, so
 * the frame never shows unstyled.
 */

function sameFile(href: string, file: string, doc: Document): boolean {
  const url = new URL(href, doc.baseURI);
  return url.origin === location.origin && decodeURIComponent(url.pathname.slice(1)) === file;
}

/**
 * The stylesheet links of `doc` that load `files` (project-relative), or null when one of the
 * files is not loaded by a <link> of the document (a sub-composition's, an @import, a module's):
 * then only a reload applies it.
 */
export function linksFor(doc: Document, files: string[]): HTMLLinkElement[] | null {
  const links = [...doc.querySelectorAll<HTMLLinkElement>('link[rel~="stylesheet"][href]')];
  const matches: HTMLLinkElement[] = [];
  for (const file of files) {
    const found = links.filter((l) => sameFile(l.href, file, doc));
    if (!found.length) return null;
    matches.push(...found);
  }
  return matches;
}

/** Loads a copy of the link with a fresh URL, then removes the old one. */
export function swapLink(link: HTMLLinkElement, stamp: number): Promise<void> {
  return new Promise((resolve) => {
    const url = new URL(link.href);
    url.searchParams.set('t', String(stamp));
    const fresh = link.cloneNode() as HTMLLinkElement;
    const done = () => {
      link.remove();
      resolve();
    };
    fresh.addEventListener('load', done, { once: true });
    fresh.addEventListener('error', done, { once: true });
    fresh.href = url.href;
    link.after(fresh);
  });
}
