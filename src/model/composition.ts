/**
 * Builds one CompositionModel from its root element: root attributes, variables, clips with
 * resolved windows, media, and sub-compositions (parsed recursively, each with its own
 * variables). Problems become diagnostics; nothing here throws.
 */
import type { CompositionModel } from '../../shared/model.js';
import { ownElements, readClips, readMedia } from './clips.js';
import { attr, descendants, inTemplate, nodeLocation, type HtmlElement, type ParsedHtmlFile } from './html.js';
import { readRoot } from './root.js';
import { openChild, readInstance, type ParseContext } from './sub-compositions.js';
import { readVariables } from './variables.js';

export interface BuildOptions {
  isEntry: boolean;
  /** The root sits inside a <template>. */
  inTemplate: boolean;
  /** Sub-composition files on the way from the entry to this one (entry excluded). */
  chain: string[];
}

/** Builds the model of the composition rooted at `root` in `file`. */
export function buildComposition(ctx: ParseContext, file: ParsedHtmlFile, root: HtmlElement, options: BuildOptions): CompositionModel {
  const { diags } = ctx;
  const facts = readRoot(diags, file, root, options.isEntry);
  const variables = readVariables(diags, file, root, options.isEntry);
  const elements = ownElements(root);

  // Children first: a host without data-duration lasts as long as its child.
  const children = new Map<HtmlElement, CompositionModel | null>();
  for (const el of elements) {
    if (attr(el, 'data-composition-src') === null) continue;
    if (!attr(el, 'data-composition-id')?.trim()) {
      diags.error(
        'host_missing_composition_id',
        `The element that loads ${attr(el, 'data-composition-src')} has no data-composition-id.`,
        nodeLocation(file, el, 'data-composition-src'),
        'Give the host the same data-composition-id as the root element inside the sub-composition file.',
      );
      children.set(el, null);
      continue;
    }
    const opened = openChild(ctx, el, file, options.chain);
    children.set(
      el,
      opened
        ? buildComposition(ctx, opened.file, opened.root, {
            isEntry: false,
            inTemplate: inTemplate(opened.root),
            chain: [...options.chain, opened.file.file],
          })
        : null,
    );
  }
  const hostDurations = new Map([...children].map(([el, child]) => [el, child && child.duration > 0 ? child.duration : null]));

  const existsElsewhere = (id: string) =>
    [...ctx.html.values()].some((f) =>
      [...descendants(f.document, { intoTemplates: true })].some((el) => attr(el, 'id') === id || attr(el, 'data-composition-id') === id),
    );
  const clips = readClips(diags, file, elements, hostDurations, existsElsewhere);
  const media = readMedia(diags, file, elements, clips);
  const subCompositions = [...children].map(([el, child]) => readInstance(diags, file, el, clips.get(el), child));

  return {
    ...facts,
    file: file.file,
    inTemplate: options.inTemplate,
    variables,
    clips: [...clips.values()],
    media,
    subCompositions,
    loc: nodeLocation(file, root),
  };
}
