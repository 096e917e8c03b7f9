/**
 * The render panel's and dataset view's HTTP API (under the dev server's own prefix) against a
 * real dev server: it refuses foreign Hosts and Origins like the rest of the server, requests
 * that do not say which page sent them when they change something, and any peer that is not this
 * machine (also when the preview is shared with --host); it takes no path outside the project
 * (`..`, absolute, dotfiles, links out), writes only under renders/, and reads datasets as
 * `render --batch` does (BOM, CRLF, quoted commas and newlines), refusing files over the limit.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDevServer, type DevServer } from '../../src/dev/index.js';
import { isLoopbackAddress } from '../../src/dev/studio.js';
import { DATASET_MAX_BYTES, STUDIO_API_PATH, type DatasetView } from '../../shared/studio-protocol.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, useFixture } from '../helpers/fixtures.js';

let server: DevServer;
let dir: string;
let outside: string;

beforeAll(async () => {
  dir = useFixture('dev-basic');
  outside = tempDir('framesmith-outside-');
  writeFileSync(join(outside, 'secret.csv'), 'title\nsecret\n');
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, '.private'));
  writeFileSync(join(dir, '.private', 'rows.csv'), 'title\nhidden\n');
  symlinkSync(join(outside, 'secret.csv'), join(dir, 'data', 'link.csv'));
  server = await createDevServer({ dir, port: 0 });
  await server.ready;
});
afterAll(async () => {
  await server?.close();
});

const base = () => new URL(server.url).origin;

interface Answer {
  status: number;
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's JSON, read field by field by each test.
  json: any;
}

/** A raw request (headers exactly as given; no Origin unless said). */
function call(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; host?: string; port?: number } = {},
): Promise<Answer> {
  const url = new URL(base());
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.host ?? url.hostname,
        port: options.port ?? url.port,
        path: `${STUDIO_API_PATH}${path}`,
        method,
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          let json: unknown = null;
          try {
            json = JSON.parse(body);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body, json });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A request as the preview page sends it: its own Origin, JSON. */
const own = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(method, path, {
    headers: { origin: base(), 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });

const JOB = {
  kind: 'local',
  composition: 'index.html',
  params: { format: 'mp4', quality: 'draft', fps: 30, resolution: '1080p' },
  rows: [{ variables: {} }],
};

describe('who may call', () => {
  test('the page itself: its Origin, or no Origin for a read', async () => {
    expect((await call('GET', 'jobs')).status).toBe(200);
    expect((await own('GET', 'config')).json.composition).toMatchObject({ width: 640, height: 360, duration: 2 });
  });

  test('a page of another origin or site is refused, for reads too', async () => {
    for (const origin of ['http://evil.example', `http://localhost:1`, 'null']) {
      const r = await call('GET', 'jobs', { headers: { origin } });
      expect(r.status).toBe(403);
      expect(r.json.error.message).toContain('Blocked request: it comes from a page of another origin');
    }
    const site = await call('GET', 'dataset', { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(site.status).toBe(403);
    const post = await call('POST', 'jobs', {
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify(JOB),
    });
    expect(post.status).toBe(403);
  });

  test('a change without an Origin (a script, not the page) is refused', async () => {
    const r = await call('POST', 'jobs', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(JOB) });
    expect(r.status).toBe(403);
    expect(r.json.error.message).toContain('no Origin');
    expect((await call('DELETE', 'dataset')).status).toBe(403);
  });

  test('a Host that is not this machine (DNS rebinding) is refused before the API', async () => {
    const r = await call('GET', 'jobs', { headers: { host: 'attacker.example' } });
    expect(r.status).toBe(403);
    expect(r.body).toContain('is not this machine');
  });

  test('only this machine: a peer on the network is refused even when the preview listens there (--host)', async () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('127.8.9.10')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('192.0.2.2')).toBe(false);
    expect(isLoopbackAddress('::ffff:192.0.2.2')).toBe(false);
    expect(isLoopbackAddress('fd00::2')).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
    // This machine's own network address: the request arrives from a non-loopback peer.
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!lan) throw new Error('this test needs a network interface besides loopback (a machine like CI has eth0)');
    const shared = await createDevServer({ dir, port: 0, host: true });
    try {
      await shared.ready;
      const port = Number(new URL(shared.url).port);
      const fromLan = await call('GET', 'jobs', { host: lan, port, headers: { host: `${lan}:${port}` } });
      expect(fromLan.status).toBe(403);
      expect(fromLan.json.error.message).toContain('answer only to this machine');
      // The preview page itself is still served on the network; the API answers locally.
      const page = await fetch(`http://${lan}:${port}/__framesmith/`);
      expect(page.status).toBe(200);
      expect((await call('GET', 'jobs', { host: '127.0.0.1', port })).status).toBe(200);
    } finally {
      await shared.close();
    }
  });
});

describe('no paths outside the project', () => {
  test('a dataset file outside the project, through .., absolute, a dotfile folder or a link out, is refused', async () => {
    const cases: [string, RegExp][] = [
      ['../secret.csv', /outside the project folder|not a file of the project/],
      [join(outside, 'secret.csv'), /not a file of the project|outside the project/],
      ['.private/rows.csv', /not a file of the project/],
      ['data/link.csv', /outside the project folder/],
      ['data/none.csv', /not a file of the project/],
    ];
    for (const [project, message] of cases) {
      const r = await own('POST', 'dataset', { project });
      expect(r.status, project).toBe(400);
      expect(r.json.error.message, project).toMatch(message);
    }
    // Nothing was opened.
    expect((await own('GET', 'dataset')).json).toBeNull();
  });

  test('output names stay under renders/: .., absolute paths and dot names are refused', async () => {
    for (const name of ['../escape', '/tmp/escape', 'a/../../escape', '.hidden', 'sub/.hidden', 'C:/x']) {
      const r = await own('POST', 'jobs', { ...JOB, name });
      expect(r.status, name).toBe(400);
      expect(r.json.error.code, name).toBe('invalid_output_name');
    }
  });

  test('finished files are served by job id only, never by path', async () => {
    expect((await call('GET', 'jobs/../../index.html')).status).toBe(404);
    expect((await call('GET', 'jobs/000000000000/1/video')).status).toBe(404);
    expect((await call('GET', 'thumb/..%2F..%2Findex.html')).status).toBe(404);
  });
});

describe('datasets as render --batch reads them', () => {
  test('a CSV with a BOM, CRLF, quoted commas and newlines, an unknown column, a missing column and a bad value', async () => {
    const csv = '\uFEFFtitle,size,extra\r\n"Hello, world",120,x\r\n"Two\r\nlines",500,y\r\n';
    const r = await call('POST', 'dataset', {
      headers: { origin: base(), 'content-type': 'text/csv', 'x-file-name': encodeURIComponent('drop me.csv') },
      body: csv,
    });
    expect(r.status).toBe(200);
    const view = r.json as DatasetView;
    expect(view.source).toMatchObject({ kind: 'dropped', name: 'drop me.csv' });
    expect(view.columns).toEqual(['title', 'size', 'extra']);
    expect(view.rows.map((row) => row.values)).toEqual([
      { title: 'Hello, world', size: 120, extra: 'x' },
      { title: 'Two\r\nlines', size: 500, extra: 'y' },
    ]);
    expect(view.columnInfo.find((c) => c.id === 'extra')).toMatchObject({ declared: false });
    expect(view.columnInfo.find((c) => c.id === 'extra')!.message).toContain('the renders ignore this column');
    expect(view.missing.map((m) => m.id)).toEqual(['boxColor', 'showTitle', 'mode']);
    // Row 2's size is over max 200: flagged with its column; row 1 is fine.
    expect(view.rows[0].flags).toEqual([]);
    expect(view.rows[1].flags).toEqual([expect.objectContaining({ kind: 'invalid', column: 'size', severity: 'error' })]);
    expect(view.rows[1].flags[0].message).toMatch(/200/);
    // A reload of the page finds it again.
    expect(((await call('GET', 'dataset')).json as DatasetView).rows).toHaveLength(2);
  });

  test('a 50 MB file is refused with the limit, before it is read', async () => {
    const before = ((await call('GET', 'dataset')).json as DatasetView | null)?.source.name ?? null;
    const big = Buffer.alloc(50 * 1024 * 1024, 'a');
    expect(big.length).toBeGreaterThan(DATASET_MAX_BYTES);
    const r = await call('POST', 'dataset', {
      headers: { origin: base(), 'content-type': 'text/csv', 'x-file-name': 'big.csv', 'content-length': String(big.length) },
      body: big,
    });
    expect(r.status).toBe(413);
    expect(r.json.error.message).toBe(`big.csv is 50.0 MB; the dataset view reads files of at most 20.0 MB.`);
    expect(r.json.error.hint).toContain('framesmith render --batch');
    // The dataset open before stays.
    expect(((await call('GET', 'dataset')).json as DatasetView | null)?.source.name ?? null).toBe(before);
  });

  test('a file that is not rows is refused as the CLI refuses it; the open dataset stays', async () => {
    const before = ((await call('GET', 'dataset')).json as DatasetView | null)?.source.name ?? null;
    const r = await call('POST', 'dataset', {
      headers: { origin: base(), 'content-type': 'application/json', 'x-file-name': 'rows.json' },
      body: '{"not": "rows"}',
    });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toBe('rows.json must hold a non-empty list of rows (objects of variable values).');
    const txt = await call('POST', 'dataset', {
      headers: { origin: base(), 'content-type': 'text/plain', 'x-file-name': 'notes.txt' },
      body: 'hi',
    });
    expect(txt.status).toBe(400);
    expect(txt.json.error.message).toBe('notes.txt is not a .csv or .json file.');
    expect(((await call('GET', 'dataset')).json as DatasetView | null)?.source.name ?? null).toBe(before);
  });

  test('10,000 rows from a project file: read and checked for values at once', async () => {
    const lines = ['title,size'];
    for (let i = 1; i <= 10_000; i++) lines.push(`Row ${i},${i % 250}`);
    writeFileSync(join(dir, 'data', 'many.csv'), `${lines.join('\n')}\n`);
    const r = await own('POST', 'dataset', { project: 'data/many.csv' });
    expect(r.status).toBe(200);
    const view = r.json as DatasetView;
    expect(view.rows).toHaveLength(10_000);
    expect(view.source).toMatchObject({ kind: 'project', path: 'data/many.csv' });
    // Sizes 201–249 and 0–19 are outside 20–200.
    expect(view.rows.filter((row) => row.flags.length)).toHaveLength(40 * (49 + 20));
    // Too many to check every row in the page in the background: rows on screen only.
    expect(view.autoCheck).toBe(false);
    expect((await own('GET', 'dataset/files')).json).toEqual(expect.arrayContaining(['data/many.csv']));
    expect((await own('GET', 'dataset/files')).json).not.toEqual(expect.arrayContaining(['.private/rows.csv']));
  });
});

describe('framesmith dev --data / --render-slots', () => {
  test('a missing file, another extension or a bad slot count stop dev with the reason', async () => {
    const missing = await runCli(['dev', dir, '--port', '0', '--data', join(dir, 'nope.csv')], { timeoutMs: 30_000 });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`Cannot read --data ${join(dir, 'nope.csv')}: no such file.`);
    const txt = await runCli(['dev', dir, '--port', '0', '--data', join(dir, 'style.css')], { timeoutMs: 30_000 });
    expect(txt.code).toBe(2);
    expect(txt.stderr).toContain('style.css is not a .csv or .json file.');
    const slots = await runCli(['dev', dir, '--port', '0', '--render-slots', '9'], { timeoutMs: 30_000 });
    expect(slots.code).toBe(2);
    expect(slots.stderr).toMatch(/render-slots/);
  });
});
