/**
 * Finds a Chromium to drive. framesmith never downloads one: it uses what the machine has, in
 * this order: FRAMESMITH_BROWSER, chromium-headless-shell (fastest, BeginFrame capture),
 * Chromium, then Chrome in the usual places.
 */
import { accessSync, constants } from 'node:fs';
import { FramesmithError } from '../core/errors.js';

export type BrowserKind = 'headless-shell' | 'chromium' | 'chrome';

export interface FoundBrowser {
  path: string;
  kind: BrowserKind;
}

const CANDIDATES: FoundBrowser[] = [
  { path: '/usr/bin/chromium-headless-shell', kind: 'headless-shell' },
  { path: '/usr/lib/chromium/headless_shell', kind: 'headless-shell' },
  { path: '/usr/bin/chromium', kind: 'chromium' },
  { path: '/usr/bin/chromium-browser', kind: 'chromium' },
  { path: '/snap/bin/chromium', kind: 'chromium' },
  { path: '/usr/bin/google-chrome', kind: 'chrome' },
  { path: '/usr/bin/google-chrome-stable', kind: 'chrome' },
  { path: '/opt/google/chrome/chrome', kind: 'chrome' },
  { path: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', kind: 'chrome' },
  { path: '/Applications/Chromium.app/Contents/MacOS/Chromium', kind: 'chromium' },
  { path: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', kind: 'chrome' },
];

const INSTALL =
  'To install one: Debian/Ubuntu `sudo apt-get install chromium-headless-shell` (fastest for renders) or `sudo apt-get install chromium`; macOS `brew install --cask google-chrome`.';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function kindOf(path: string): BrowserKind {
  if (/headless[-_]shell/.test(path)) return 'headless-shell';
  return /chrome/i.test(path) && !/chromium/i.test(path) ? 'chrome' : 'chromium';
}

/** Returns the browser to use, or throws a FramesmithError that says how to install one. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): FoundBrowser {
  const override = env.FRAMESMITH_BROWSER;
  if (override) {
    if (!executable(override)) {
      throw new FramesmithError('browser_not_found', `FRAMESMITH_BROWSER points to ${override}, which is not an executable file.`, {
        hint: `Set FRAMESMITH_BROWSER to the path of a Chromium or Chrome binary, or unset it to search the usual places. ${INSTALL}`,
      });
    }
    return { path: override, kind: kindOf(override) };
  }
  const found = CANDIDATES.find((c) => executable(c.path));
  if (found) return found;
  throw new FramesmithError('browser_not_found', 'No Chromium or Chrome found on this machine.', {
    hint: `${INSTALL} Or set FRAMESMITH_BROWSER to the path of one. framesmith never downloads a browser.`,
  });
}
