/** What a user reads when a render's files cannot be written, and where `-o` puts the video. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { outputError, resolveVideoPath } from '../../../src/render/output-path.js';
import { tempDir } from '../../helpers/fixtures.js';

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('outputError', () => {
  test('ENOSPC (e.g. while writing the thumbnail) is a full disk, not a crash', async () => {
    const e = await outputError('/videos/a.mp4', errno('ENOSPC'));
    expect(e.code).toBe('disk_full');
    expect(e.message).toBe('The disk holding /videos is full; the render stopped and removed its partial files.');
    expect(e.hint).toMatch(/Free some space/);
  });

  test('a file where a folder should be is named', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), '');
    const e = await outputError(join(dir, 'notes.txt', 'deep', 'a.mp4'), errno('ENOTDIR'));
    expect(e).toMatchObject({ code: 'output_not_writable', exitCode: 2 });
    expect(e.message).toContain(`${join(dir, 'notes.txt')} is a file, not a folder`);
  });

  test.each([
    ['EACCES', 'permission denied'],
    ['EROFS', 'the disk is read-only'],
  ])('%s says %s', async (code, text) => {
    expect((await outputError('/x/a.mp4', errno(code))).message).toBe(`Cannot write the video to /x/a.mp4: ${text}.`);
  });
});

describe('resolveVideoPath', () => {
  test('-o with a trailing slash is a folder even before it exists', async () => {
    const dir = tempDir();
    expect(await resolveVideoPath(dir, join(dir, 'new') + '/', 'mp4', 'promo')).toBe(join(dir, 'new', 'promo.mp4'));
    mkdirSync(join(dir, 'there'));
    expect(await resolveVideoPath(dir, join(dir, 'there'), 'webm', 'promo')).toBe(join(dir, 'there', 'promo.webm'));
    expect(await resolveVideoPath(dir, join(dir, 'clip'), 'mp4', 'promo')).toBe(join(dir, 'clip.mp4'));
  });
});
