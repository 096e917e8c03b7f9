/** Content types of remote files by name, for cached bytes served to a page. */
import { contentType } from '../serve/send-file.js';

/** The content type of a path or URL by its extension (query and fragment ignored). */
export function contentTypeOf(pathOrUrl: string): string {
  const path = pathOrUrl.replace(/[?#].*$/, '');
  return contentType(path);
}
