// Issue 2 figures: time to first still of a 1080p composition from a cold process, and ms per
// seek+paint (median, p95) over 300 seeks in a warm page.
import { join } from 'node:path';
import { median, percentile, templateProject, timeCommand, tempDir } from './lib.mjs';

export const title = 'snapshot and runtime (issue 2)';

export async function run({ root, figure }) {
  const dir = templateProject(root, 'title-card');
  const cli = join(root, 'bin/framesmith.js');
  const cold = [];
  for (let i = 0; i < 5; i++) {
    const r = timeCommand(process.execPath, [cli, 'snapshot', dir, '--at', '1', '--out', tempDir()]);
    if (r.status !== 0) throw new Error(r.stderr);
    cold.push(r.ms);
  }
  figure('snapshot', 'first still, 1080p, cold process (median of 5)', median(cold), 'ms', '< 1500 ms');

  const { launchBrowser } = await import(join(root, 'dist/node/browser/launch.js'));
  const { openComposition } = await import(join(root, 'dist/node/browser/composition-page.js'));
  const { startStaticServer } = await import(join(root, 'dist/node/serve/static-server.js'));
  const { loadProject } = await import(join(root, 'dist/node/model/index.js'));
  const model = await loadProject(dir);
  const server = await startStaticServer({ root: dir });
  const browser = await launchBrowser();
  try {
    const page = await openComposition(browser.browser, {
      url: server.url(model.entry),
      width: model.composition.width,
      height: model.composition.height,
    });
    const frames = page.info.frameCount;
    const times = [];
    let s = 12345;
    for (let i = 0; i < 300; i++) {
      s = (s * 16807) % 2147483647;
      const t0 = performance.now();
      await page.seekFrame(s % frames);
      times.push(performance.now() - t0);
    }
    figure('snapshot', 'seek+paint median (300 random seeks, 1080p title-card)', median(times), 'ms');
    figure('snapshot', 'seek+paint p95', percentile(times, 95), 'ms', '< 16 ms');
    await page.close();
  } finally {
    await browser.close();
    await server.close();
  }
}
