// Shared pieces of the cloud-client probes (issue 13): the real CLI against the fake HeyGen server
// on 127.0.0.1, with a known key that must appear in no output.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createCloudClient } from '../../src/cloud/client.js';
import type { FakeHeygen } from '../fake-heygen/index.js';
import { zipFolder } from '../fake-heygen/make-zip.js';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'framesmith.js');
export const FIXTURE = join(import.meta.dirname, '..', 'unit', 'cloud', 'fixtures', 'project');
export const KEY = 'sk_probe_SECRET_KEY_31337';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI against `fake` (asynchronously: the fake lives in this process). Killed after `limitMs`. */
export function cli(
  fake: FakeHeygen,
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined>; limitMs?: number },
): Promise<Run> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NO_COLOR: '1',
        CI: '1',
        HEYGEN_API_URL: fake.url,
        HEYGEN_API_KEY: KEY,
        ...opts.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.limitMs ?? 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export const tempDir = () => mkdtemp(join(tmpdir(), 'fs-cloud-probe-'));
export const filesIn = async (dir: string) => (existsSync(dir) ? (await readdir(dir, { recursive: true })).map(String).sort() : []);

/** A render created through the client; `finished` moves the fake clock so it is completed. */
export async function makeRender(fake: FakeHeygen, opts: { finished?: boolean; title?: string; fail?: string } = {}): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const data = (await readFile(await zipFolder(FIXTURE))).toString('base64');
  if (opts.fail) fake.controls.failNext(opts.fail);
  const client = createCloudClient({ apiKey: KEY, baseUrl: fake.url });
  const { render_id } = await client.renders.create({
    project: { type: 'base64', media_type: 'application/zip', data },
    ...(opts.title ? { title: opts.title } : {}),
  });
  if (opts.finished || opts.fail) fake.controls.advance(10);
  return render_id;
}

/** No key, no terminal escape, no crash in anything the CLI printed. */
export function expectClean(r: Run): void {
  for (const text of [r.stdout, r.stderr]) {
    expect(text).not.toContain(KEY);
    expect(text).not.toMatch(/\u001b/);
  }
  expect(r.stderr).not.toMatch(/crashed|this is a bug/);
}
