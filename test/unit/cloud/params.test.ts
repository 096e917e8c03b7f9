// The parameter table drives --help, validation and the docs: check the three agree, and that
// flags become the options runCloudRender takes.
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'citty';
import { describe, expect, it } from 'vitest';
import { cloudRenderArgs, cloudRenderOptionsFromArgs } from '../../../src/commands/cloud-args.js';
import { RENDER_PARAMS } from '../../../src/cloud/params.js';
import { aspectRatioOf, inspectProjectZip } from '../../../src/cloud/project-info.js';
import { zipFolder } from '../../fake-heygen/make-zip.js';
import { FIXTURE } from './helpers.js';

describe('the parameter table', () => {
  it('gives every parameter a flag in --help and a row in docs/cloud.md', async () => {
    const doc = await readFile(join(import.meta.dirname, '..', '..', '..', 'docs', 'cloud.md'), 'utf8');
    for (const p of RENDER_PARAMS) {
      expect(cloudRenderArgs).toHaveProperty(p.flag);
      expect(doc).toContain(`| \`--${p.flag}\` | \`${p.apiField}\` |`);
    }
  });

  it('turns parsed flags into runCloudRender options (seconds and minutes to ms)', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'fs-args-'));
    await writeFile(join(cwd, 'vars.json'), '{"headline":"From file","count":2}');
    const raw = [
      '--fps',
      '24',
      '--quality',
      'high',
      '--aspect-ratio',
      '1:1',
      '--variables-file',
      'vars.json',
      '--variables',
      '{"count":5}',
      '--no-wait',
      '--poll-interval',
      '3',
      '--timeout',
      '2',
      '--batch',
      'rows.csv',
      '--name-pattern',
      'r/{index}.mp4',
      '--api-key',
      'sk_flag_123456',
    ];
    const args = parseArgs(raw, cloudRenderArgs);
    const o = await cloudRenderOptionsFromArgs(args, cwd);
    expect(o.params).toEqual({ fps: 24, quality: 'high', aspectRatio: '1:1', variables: { headline: 'From file', count: 5 } });
    expect([o.wait, o.pollInterval, o.timeout]).toEqual([false, 3000, 120_000]);
    expect(o.batch).toEqual({ file: 'rows.csv', namePattern: 'r/{index}.mp4' });
    expect(o.apiKey && typeof o.apiKey !== 'string' ? o.apiKey.sourceLabel : null).toBe('--api-key');
    await expect(cloudRenderOptionsFromArgs(parseArgs(['--variables', '[1]'], cloudRenderArgs), cwd)).rejects.toThrow(
      /must be a JSON object/,
    );
    await expect(cloudRenderOptionsFromArgs(parseArgs(['--variables', '{bad'], cloudRenderArgs), cwd)).rejects.toThrow(
      /--variables is not valid JSON/,
    );
  });
});

describe('project info', () => {
  it('reads size and declarations (on <html>) from the zip', async () => {
    const info = await inspectProjectZip(await zipFolder(FIXTURE));
    expect(info).toMatchObject({ entry: 'index.html', width: 1920, height: 1080 });
    expect(info.declarations.map((d) => d.id)).toEqual(['headline', 'count', 'dark']);
  });
  it('maps sizes to the API ratios', () => {
    expect([
      aspectRatioOf(1920, 1080),
      aspectRatioOf(1080, 1920),
      aspectRatioOf(1080, 1080),
      aspectRatioOf(1280, 720),
      aspectRatioOf(1024, 768),
    ]).toEqual(['16:9', '9:16', '1:1', '16:9', null]);
  });
});
