/**
 * Test fixtures: copies a project from test/fixtures/<name> into a fresh temp folder, vendoring
 * GSAP from node_modules when the fixture asks for vendor/gsap.min.js, so tests never touch the
 * checked-in files and never need the network.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(REPO, 'test', 'fixtures');
export const GSAP_MIN = join(REPO, 'node_modules', 'gsap', 'dist', 'gsap.min.js');

/** A temp folder under the system temp dir. */
export function tempDir(prefix = 'framesmith-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Copies fixture `name` into a temp folder and returns its path. */
export function useFixture(name: string): string {
  const dir = join(tempDir(), name);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  vendorGsap(dir);
  return dir;
}

/** Copies gsap.min.js to vendor/ when the project's HTML references it. */
export function vendorGsap(dir: string): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index) || !readFileSync(index, 'utf8').includes('vendor/gsap.min.js')) return;
  mkdirSync(join(dir, 'vendor'), { recursive: true });
  copyFileSync(GSAP_MIN, join(dir, 'vendor', 'gsap.min.js'));
}
