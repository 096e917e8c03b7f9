// Probe 10 (the cloud part) of issue 13: text the server sends back (a render's title and
// failure_message, error messages) was printed as given. It is now cleaned where it is read:
// terminal escape sequences, control and bidi characters removed, the key and token redacted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHeygen, type FakeHeygen } from '../fake-heygen/index.js';
import { cli, expectClean, KEY, makeRender, tempDir } from './cloud-helpers.js';

let fake: FakeHeygen;
beforeAll(async () => {
  fake = await startFakeHeygen({ apiKeys: [KEY] });
});
afterAll(() => fake.close());

// Clears the screen, sets the terminal title, hides text with \r and reverses it with U+202E.
const HOSTILE = `\u001b[2J\u001b]0;owned\u0007Q2 \u001b[31mrevenue\u001b[0m\rFAKE ${KEY} \u202eevil`;

describe('server-echoed text is printed cleaned', () => {
  it('renders get: title and failure_message without escapes, control characters or the key', async () => {
    const id = await makeRender(fake, { fail: 'will be replaced' });
    fake.controls.tamper(id, { title: HOSTILE, failure_message: HOSTILE });
    const r = await cli(fake, ['renders', 'get', id], { cwd: await tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/title\s+Q2 revenueFAKE \*\*\* evil\n/);
    expect(r.stdout).toMatch(/failure\s+Q2 revenueFAKE \*\*\* evil\n/);
    expect(r.stdout).not.toMatch(/[\r\u202e\u0007]/);
    expectClean(r);
  });

  it('renders list and --json carry the cleaned text too', async () => {
    const id = await makeRender(fake);
    fake.controls.tamper(id, { title: HOSTILE });
    const table = await cli(fake, ['renders', 'list'], { cwd: await tempDir() });
    expect(table.stdout).toContain('Q2 revenueFAKE *** evil');
    expectClean(table);
    const json = await cli(fake, ['renders', 'get', id, '--json'], { cwd: await tempDir() });
    expect(JSON.parse(json.stdout).render.title).toBe('Q2 revenueFAKE *** evil');
  });

  it('a failed render: the failure message in the error (exit 7) is cleaned', async () => {
    const id = await makeRender(fake, { fail: 'x' });
    fake.controls.tamper(id, { failure_message: HOSTILE });
    const r = await cli(fake, ['renders', 'get', id, '--download'], { cwd: await tempDir() });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain(`Render ${id} failed: Q2 revenueFAKE *** evil.`);
    expectClean(r);
  });

  it('error messages, params and doc links from the API are cleaned as well', async () => {
    fake.controls.inject({ route: 'renders.list', kind: 'status', status: 400, message: HOSTILE, param: `lim\u001b[8mit ${KEY}` });
    const r = await cli(fake, ['renders', 'list'], { cwd: await tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HeyGen rejected the parameter "limit ***". The API said: Q2 revenueFAKE *** evil (invalid_parameter)');
    expectClean(r);
  });
});
