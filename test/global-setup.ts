// Builds framesmith once before the suites, so end-to-end tests drive the same
// `bin/framesmith.js` a user runs. Set FRAMESMITH_SKIP_BUILD=1 to reuse an existing build.
//
// Remote files: every test run gets its own empty content cache, and the npm registry points at a
// closed port on 127.0.0.1 (connections refused at once), so no test reaches the network or shares cached files unless it sets
// FRAMESMITH_NPM_REGISTRY / FRAMESMITH_CACHE_DIR itself (the corpus tests use the real registry).
//
// The official engine's renders of the corpus are made once per run and shared by the corpus and
// parity tests (FRAMESMITH_ENGINE_RENDERS, keyed by example + engine version + fps; see
// bench/parity/engine-cache.mjs): the engine is the slowest part of the suite.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port nothing listens on (one the system just handed out and took back). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export default async function setup(): Promise<() => void> {
  const cache = mkdtempSync(join(tmpdir(), 'framesmith-test-cache-'));
  process.env.FRAMESMITH_CACHE_DIR ??= cache;
  process.env.FRAMESMITH_NPM_REGISTRY ??= `http://127.0.0.1:${await closedPort()}/`;
  const renders = mkdtempSync(join(tmpdir(), 'framesmith-engine-renders-'));
  process.env.FRAMESMITH_ENGINE_RENDERS ??= renders;
  // The remote-file tests' stand-in CDNs listen on 127.0.0.1, an address framesmith otherwise never
  // fetches a composition's file from (src/security/remote-address.ts; test/security/ unsets this).
  process.env.FRAMESMITH_REMOTE_ALLOW_HOSTS ??= '127.0.0.1';
  if (process.env.FRAMESMITH_SKIP_BUILD !== '1') {
    execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
  }
  return () => {
    rmSync(cache, { recursive: true, force: true });
    rmSync(renders, { recursive: true, force: true });
  };
}
