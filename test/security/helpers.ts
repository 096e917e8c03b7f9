/**
 * Shared by the security suite: a project with every kind of secret and a link with an ordinary
 * name to each, loopback listeners that record anything that reaches them, and raw HTTP.
 * Everything here talks to 127.0.0.1 only and is bounded in count and time.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';

/** The text every secret file holds: nothing a test receives may contain it. */
export const SECRET = 'sk-SECRET-never-leaves-4242';

/** Secret files (by kind) and the ordinary-looking link that points at each. */
export const SECRETS: { kind: string; file: string; link: string }[] = [
  { kind: '.env', file: '.env', link: 'fonts/extra.woff2' },
  { kind: '.env.local', file: '.env.local', link: 'data/values.json' },
  { kind: '.npmrc', file: '.npmrc', link: 'css/theme.css' },
  { kind: '.git/config', file: '.git/config', link: 'js/helper.js' },
  { kind: 'a dot folder', file: '.ssh/notes.txt', link: 'notes.txt' },
  { kind: 'id_rsa', file: 'keys/id_rsa', link: 'img/photo.png' },
  { kind: 'server.key', file: 'certs/server.key', link: 'img/logo.svg' },
  { kind: 'cert.pem', file: 'certs/cert.pem', link: 'media/clip.mp4' },
  { kind: 'prod.env', file: 'config/prod.env', link: 'data/config.json' },
  { kind: 'outside the project', file: '../outside-secret.txt', link: 'docs/readme.txt' },
];

/** Links that reach a secret another way: through a linked folder, and through a chain of links. */
export const INDIRECT: { kind: string; link: string }[] = [
  { kind: 'a linked dot folder', link: 'assets/config' },
  { kind: 'a chain of links', link: 'chain.txt' },
];

/** Writes the secrets and links into `dir` (a project). */
export function plantSecrets(dir: string): void {
  for (const s of SECRETS) {
    const file = join(dir, s.file);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `HEYGEN_API_KEY=${SECRET}\n`);
    const link = join(dir, s.link);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(file, link);
  }
  // assets/ -> .git (a folder), so assets/config is .git/config.
  symlinkSync(join(dir, '.git'), join(dir, 'assets'));
  // chain.txt -> hop.txt -> .env
  symlinkSync(join(dir, '.env'), join(dir, 'hop.txt'));
  symlinkSync(join(dir, 'hop.txt'), join(dir, 'chain.txt'));
}

/** Every name a secret may be asked for by: the links, plus the secret files themselves. */
export function secretPaths(): string[] {
  return [
    ...SECRETS.map((s) => s.link),
    ...INDIRECT.map((s) => s.link),
    '.env',
    '.env.local',
    '.npmrc',
    '.git/config',
    'keys/id_rsa',
    'certs/server.key',
    'certs/cert.pem',
    'config/prod.env',
    'hop.txt',
  ];
}

export interface Heard {
  tcp: string[];
  udp: number;
}

/** A TCP and a UDP listener on 127.0.0.1 that record anything that arrives. */
export async function loopbackListeners(): Promise<{ tcpPort: number; udpPort: number; heard: Heard; close(): Promise<void> }> {
  const heard: Heard = { tcp: [], udp: 0 };
  const tcp: Server = createServer((socket) => {
    heard.tcp.push('connection');
    socket.on('data', (d) => heard.tcp.push(d.toString('latin1').slice(0, 200)));
    socket.on('error', () => {});
    socket.destroy();
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const udp: UdpSocket = createSocket('udp4');
  udp.on('message', () => heard.udp++);
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  return {
    tcpPort: (tcp.address() as { port: number }).port,
    udpPort: udp.address().port,
    heard,
    close: async () => {
      udp.close();
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}

export interface RawResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One HTTP request as a browser or script would send it (method and headers as given). */
export function rawRequest(
  origin: string,
  path: string,
  { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer to ${path} within 15 s`)));
    req.on('error', reject);
    req.end();
  });
}
