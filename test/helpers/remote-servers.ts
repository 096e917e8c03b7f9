/**
 * Real HTTP servers on 127.0.0.1 for the remote-resource tests: a registry-like server serving
 * real gzip'd npm tarballs with their SHA-512 integrity, and a CDN-like server whose routes can
 * 404, stall, redirect in a loop, send too much or send HTML. Each counts the requests it got.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

export interface TestServer {
  origin: string;
  /** Paths requested, in order (with query). */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startServer(handle: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<TestServer> {
  const requests: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    requests.push(req.url ?? '/');
    Promise.resolve(handle(req, res)).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A gzip'd tar of `files` under `top/` (npm's layout). */
export async function makeTarball(files: Record<string, string | Buffer>, top = 'package'): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((r) => p.on('end', () => r()));
  for (const [name, body] of Object.entries(files)) {
    await new Promise<void>((resolve, reject) =>
      p.entry({ name: `${top}/${name}` }, typeof body === 'string' ? Buffer.from(body) : body, (e) => (e ? reject(e) : resolve())),
    );
  }
  p.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks));
}

export interface FakePackageVersion {
  files: Record<string, string | Buffer>;
  /** Serve a tarball that does not match the integrity given in the metadata. */
  tamper?: boolean;
}

export interface FakeRegistry extends TestServer {
  /** `http://127.0.0.1:PORT/` (with the slash, as npm writes it). */
  url: string;
  /** Tarball downloads so far. */
  tarballs(): number;
}

/** A registry serving `packages` (name → version → files); `latest` is the highest listed last. */
export async function startFakeRegistry(
  packages: Record<string, Record<string, FakePackageVersion>>,
  tags: Record<string, Record<string, string>> = {},
): Promise<FakeRegistry> {
  const tgz = new Map<string, Buffer>();
  const meta = new Map<string, { integrity: string; shasum: string }>();
  for (const [name, versions] of Object.entries(packages)) {
    for (const [version, v] of Object.entries(versions)) {
      const body = await makeTarball({
        ...v.files,
        'package.json': JSON.stringify({
          name,
          version,
          ...(JSON.parse((v.files['package.json'] as string | undefined) ?? '{}') as object),
        }),
      });
      const file = `${name.split('/').pop()}-${version}.tgz`;
      meta.set(`${name}@${version}`, {
        integrity: `sha512-${createHash('sha512').update(body).digest('base64')}`,
        shasum: createHash('sha1').update(body).digest('hex'),
      });
      tgz.set(`/${name}/-/${file}`, v.tamper ? Buffer.concat([body.subarray(0, body.length - 8), Buffer.alloc(8)]) : body);
    }
  }
  const server: TestServer = await startServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const body = tgz.get(path);
    if (body) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      return void res.end(body);
    }
    const name = path.slice(1);
    const versions = packages[name];
    if (!versions) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end('{"error":"Not found"}');
    }
    const list = Object.keys(versions);
    const doc = {
      name,
      'dist-tags': { latest: list[list.length - 1], ...tags[name] },
      versions: Object.fromEntries(
        list.map((v) => [
          v,
          {
            name,
            version: v,
            dist: { tarball: `${server.origin}/${name}/-/${name.split('/').pop()}-${v}.tgz`, ...meta.get(`${name}@${v}`) },
          },
        ]),
      ),
    };
    res.writeHead(200, { 'content-type': 'application/vnd.npm.install-v1+json' });
    res.end(JSON.stringify(doc));
  });
  return {
    ...server,
    get requests() {
      return server.requests;
    },
    url: `${server.origin}/`,
    tarballs: () => server.requests.filter((r) => r.endsWith('.tgz')).length,
  };
}
