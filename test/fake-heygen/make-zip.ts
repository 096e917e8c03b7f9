/**
 * Zips a fixture folder with archiver for upload tests (framesmith's own `build` makes the real
 * zips; the cloud tests need only a valid project archive).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import archiver from 'archiver';

/** Zips `dir` (its contents at the zip root) into a new temp file and returns its path. `padBytes` adds a stored file of random bytes to make the zip larger. */
export async function zipFolder(dir: string, options: { padBytes?: number; name?: string } = {}): Promise<string> {
  const out = join(await mkdtemp(join(tmpdir(), 'fs-cloud-zip-')), options.name ?? 'project.zip');
  const archive = archiver('zip', { zlib: { level: 6 } });
  const done = new Promise<void>((resolve, reject) => {
    const stream = createWriteStream(out);
    stream.on('close', () => resolve());
    stream.on('error', reject);
    archive.on('error', reject);
    archive.pipe(stream);
  });
  archive.directory(dir, false);
  if (options.padBytes) {
    const { randomBytes } = await import('node:crypto');
    archive.append(randomBytes(options.padBytes), { name: 'assets/padding.bin', store: true });
  }
  await archive.finalize();
  await done;
  return out;
}
