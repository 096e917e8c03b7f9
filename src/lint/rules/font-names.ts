/**
 * Font family names the font rules need to know. Generic families and CSS keywords never need an
 * @font-face. The second list is the families the official renderer supplies itself when no
 * @font-face is given (it ships a few open fonts and maps common system fonts onto them, as
 * observed in hyperframes 0.8.x): a render still works, but with the renderer's substitute.
 */
export const GENERIC_FAMILIES = new Set([
  'serif', 'sans-serif', 'monospace', 'cursive', 'fantasy', 'system-ui', 'ui-serif', 'ui-sans-serif', 'ui-monospace',
  'ui-rounded', 'math', 'emoji', 'fangsong', '-apple-system', 'blinkmacsystemfont', 'inherit', 'initial', 'unset',
  'revert', 'revert-layer',
]);

const BUNDLED_BY_RENDERER = [
  'inter', 'montserrat', 'outfit', 'nunito', 'oswald', 'league gothic', 'archivo black', 'space mono', 'ibm plex mono',
  'jetbrains mono', 'eb garamond', 'playfair display', 'source code pro', 'noto sans jp', 'roboto', 'open sans', 'lato', 'poppins',
];

const SYSTEM_ALIASES = [
  'helvetica neue', 'helvetica', 'arial', 'helvetica bold', 'futura', 'din alternate', 'arial black', 'bebas neue', 'courier new',
  'courier', 'garamond', 'noto sans japanese', 'segoe ui', 'sf pro', 'sf pro display', 'sf pro text', 'sf pro rounded', 'avenir',
  'avenir next', 'lucida grande', 'geneva', 'optima', 'verdana', 'tahoma', 'trebuchet ms', 'calibri', 'candara', 'corbel',
  'lucida sans', 'lucida sans unicode', 'noto sans', 'dejavu sans', 'liberation sans', 'sf mono', 'menlo', 'monaco', 'consolas',
  'lucida console', 'lucida sans typewriter', 'andale mono', 'dejavu sans mono', 'liberation mono', 'georgia', 'palatino',
  'palatino linotype', 'book antiqua', 'cambria', 'times', 'times new roman', 'dejavu serif', 'liberation serif',
];

export const SUBSTITUTED_FAMILIES = new Set([...BUNDLED_BY_RENDERER, ...SYSTEM_ALIASES]);
