/**
 * The official HyperFrames engine in tests. Tests that compare with it run when it is installed;
 * on a developer's machine without it they are skipped, but under FRAMESMITH_REQUIRE_OFFICIAL=1
 * (set by .ci/run, which installs it) a missing engine fails them instead: in CI every official
 * comparison runs on every submission.
 */
import { it, test } from 'vitest';
import { findOfficialEngine } from '../../bench/parity/index.mjs';
import { REPO } from './fixtures.js';

export const official = findOfficialEngine({ root: REPO });

/** The wrapper's path when the engine can run here. */
export const OFFICIAL: string | null = official.tool && official.installed ? official.tool : null;

/**
 * `it` for tests that need the official engine: runs when it is here; otherwise skipped, or,
 * when the engine is required (CI), replaced by a test that fails with the reason.
 */
export function itOfficial(name: string, fn: (tool: string) => Promise<void> | void, timeout?: number): void {
  if (OFFICIAL) {
    const tool = OFFICIAL;
    it(name, () => fn(tool), timeout);
  } else if (official.required) {
    it(name, () => {
      throw new Error(
        `The official engine is required here (FRAMESMITH_REQUIRE_OFFICIAL=1) but cannot run: ${official.reason}. .ci/run installs it with ../shared/tools/hyperframes-official.`,
      );
    });
  } else {
    it.skip(`${name} (official engine not installed: ${official.reason})`, () => {});
  }
}

/** Whether official comparisons run (or must fail) here. */
export const officialWanted = Boolean(OFFICIAL) || official.required;

export { test };
