/**
 * Boot options too large for a URL (a 1 MB variable value would not fit in the iframe's address:
 * the server refuses request heads over 16 KB). The preview posts them here and names them in
 * the iframe URL by reference instead. Kept in memory, the newest first, within a byte budget.
 */
import { createHash } from 'node:crypto';

export interface BootStash {
  /** Stores `json` (a DevBootParam as text); returns its reference. */
  put(json: string): string;
  get(ref: string): string | undefined;
  readonly bytes: number;
}

/** Largest boot body accepted (bytes). */
export const BOOT_BODY_LIMIT = 8 * 1024 * 1024;

export function createBootStash(budget = 64 * 1024 * 1024): BootStash {
  const entries = new Map<string, string>();
  let bytes = 0;
  return {
    put(json) {
      const ref = createHash('sha256').update(json).digest('hex').slice(0, 24);
      const old = entries.get(ref);
      if (old !== undefined) entries.delete(ref);
      else bytes += json.length;
      entries.set(ref, json);
      for (const [k, v] of entries) {
        if (bytes <= budget || k === ref) break;
        entries.delete(k);
        bytes -= v.length;
      }
      return ref;
    },
    get(ref) {
      const v = entries.get(ref);
      if (v !== undefined) {
        entries.delete(ref);
        entries.set(ref, v);
      }
      return v;
    },
    get bytes() {
      return bytes;
    },
  };
}
