/**
 * What the fake renderer checks in a project zip: that it is a zip, that the entry HTML is there,
 * and the entry root's data-width/data-height (for the aspect_ratio check). Written separately
 * from the client's reader on purpose, so one bug cannot hide in both.
 */
import { fromBufferPromise } from 'yauzl';

export interface ZipFacts {
  isZip: boolean;
  entries: string[];
  hasEntry: boolean;
  width: number | null;
  height: number | null;
}

export async function inspectZip(bytes: Buffer, entry: string): Promise<ZipFacts> {
  const facts: ZipFacts = { isZip: false, entries: [], hasEntry: false, width: null, height: null };
  if (bytes.length < 22 || bytes.readUInt32LE(0) !== 0x04034b50) return facts;
  let zip;
  try {
    zip = await fromBufferPromise(bytes, { lazyEntries: true });
  } catch {
    return facts;
  }
  facts.isZip = true;
  for await (const e of zip.eachEntry()) {
    facts.entries.push(e.fileName);
    if (e.fileName !== entry) continue;
    facts.hasEntry = true;
    const chunks: Buffer[] = [];
    for await (const c of await zip.openReadStreamPromise(e)) chunks.push(c as Buffer);
    const html = Buffer.concat(chunks).toString('utf8');
    const tag = html.match(/<[a-z]+\b[^>]*\bdata-composition-id\b[^>]*>/i)?.[0] ?? '';
    const attr = (n: string) => {
      const m = tag.match(new RegExp(`\\b${n}\\s*=\\s*["']?(\\d+(?:\\.\\d+)?)`, 'i'));
      return m ? Number(m[1]) : null;
    };
    facts.width = attr('data-width');
    facts.height = attr('data-height');
  }
  return facts;
}

/** The aspect ratio a size renders as, or null. */
export function ratioOf(w: number, h: number): string | null {
  const r = w / h;
  if (Math.abs(r - 16 / 9) < 0.02) return '16:9';
  if (Math.abs(r - 9 / 16) < 0.02) return '9:16';
  if (Math.abs(r - 1) < 0.02) return '1:1';
  return null;
}
