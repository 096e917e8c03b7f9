// Issue 3 figures: `framesmith dev` start (to URL printed, to Vite ready, to first frame painted
// in a browser), scrub seek-to-painted, save-to-updated-frame for HTML and CSS edits, server
// memory, and the official preview's start for comparison. Real CLI, real Chromium, the
// title-card template (1920×1080) with one linked stylesheet added for the CSS figure.
// Issue 15 figures: the timeline's build-and-draw time for 500 clips + 2,000 tweens and for
// 5,000 clips + 50,000 tweens (and its redraw on zoom), the filmstrip cache's memory.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, officialTool, percentile, templateProject, tempDir } from './lib.mjs';

export const title = 'dev server (issue 3)';

const epoch = () => performance.timeOrigin + performance.now();

/** Spawns `framesmith dev`; resolves with the URL and the ms to print it and to be ready. */
function startDev(root, dir) {
  const t0 = epoch();
  const child = spawn(process.execPath, [join(root, 'bin/framesmith.js'), 'dev', dir, '--port', '0', '--verbose'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let out = '';
  let err = '';
  const url = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], ms: epoch() - t0 });
    });
    child.on('exit', () => reject(new Error(`dev exited: ${err}`)));
  });
  const ready = new Promise((resolve) => {
    child.stderr.on('data', (d) => {
      err += d;
      if (/ready in/.test(err)) resolve(epoch() - t0);
    });
  });
  const stop = () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGINT'))));
  return { child, t0, url, ready, stop };
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

/** Proportional set size (MB): shared pages divided among the processes sharing them. */
function pssMb(pid) {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return Number(/^Pss:\s+(\d+)/m.exec(rollup)[1]) / 1024;
}

/** Memory (MB, summed by `measure`) of the filmstrip's capture process under `pid` and all its children (its Chromium). */
function filmstripMb(pid, measure = rssMb) {
  const parents = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parents.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const worker = [...parents].find(([p, pp]) => pp === pid && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('filmstrip-worker'))?.[0];
  if (!worker) return 0;
  const family = new Set([worker]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, pp] of parents) {
      if (!family.has(p) && family.has(pp)) {
        family.add(p);
        grew = true;
      }
    }
  }
  let mb = 0;
  for (const p of family) {
    try {
      mb += measure(p);
    } catch {}
  }
  return mb;
}

async function officialStart(tool, dir, port) {
  const t0 = epoch();
  const child = spawn(tool, ['preview', dir, '--no-open', '--foreground', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const ms = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('official preview did not start in 30 s')), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (/Server\s+http/.test(out)) {
        clearTimeout(timer);
        resolve(epoch() - t0);
      }
    });
  });
  // The wrapper starts node under bash: stop the whole group.
  try {
    process.kill(-child.pid, 'SIGINT');
  } catch {}
  await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  return ms;
}

/** A composition with `clips` clips on 50 tracks and `tweens` tweens in time order, over `seconds`. */
function bigComposition(root, clips, tweens, seconds) {
  const dir = join(tempDir(), `timeline-${clips}`);
  mkdirSync(join(dir, 'vendor'), { recursive: true });
  copyFileSync(join(root, 'node_modules/gsap/dist/gsap.min.js'), join(dir, 'vendor/gsap.min.js'));
  const perTrack = Math.ceil(clips / 50);
  const len = seconds / perTrack;
  const els = [];
  for (let i = 0; i < clips; i++) {
    const t = i % 50;
    const k = Math.floor(i / 50);
    els.push(
      `<div id="c${i}" class="clip" data-start="${(k * len).toFixed(4)}" data-duration="${len.toFixed(4)}" data-track-index="${t}" style="position:absolute;left:${t * 12}px;top:${(k % 100) * 3}px;width:10px;height:2px;background:#4cc9f0"></div>`,
    );
  }
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"></head><body>
<div id="root" data-composition-id="main" data-width="1920" data-height="1080" data-start="0" data-duration="${seconds}" data-fps="30" style="background:#101820">
${els.join('\n')}
</div>
<script src="vendor/gsap.min.js"></script>
<script>
  const tl = gsap.timeline({ paused: true });
  const targets = document.querySelectorAll('.clip');
  for (let i = 0; i < ${tweens}; i++) tl.to(targets[i % targets.length], { opacity: 0.5 + (i % 2) * 0.5, duration: ${(seconds / tweens) * 20} }, i * ${seconds / tweens});
  window.__timelines = { main: tl };
</script>
</body></html>`,
  );
  return dir;
}

/** Timeline build-and-draw times in a real preview (ms, measured in the page). */
async function timelineFigures(root, browser, figure) {
  for (const [clips, tweens, target] of [
    [500, 2000, '< 50 ms'],
    [5000, 50000, ''],
  ]) {
    const dir = bigComposition(root, clips, tweens, 60);
    const dev = startDev(root, dir);
    const { url } = await dev.url;
    await dev.ready;
    const context = await browser.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${url}?frame=0`);
    await page.waitForFunction((n) => window.__framesmithDev?.timelineStats().tweens === n, tweens, { timeout: 120_000 });
    const builds = await page.evaluate(() => window.__framesmithDev.timeTimeline(15));
    const draws = await page.evaluate(() => window.__framesmithDev.timeTimelineDraw(30));
    figure('dev', `timeline build + draw, ${clips} clips + ${tweens} tweens, median of 15`, median(builds), 'ms', target);
    figure('dev', `timeline build + draw, ${clips} clips + ${tweens} tweens, p95`, percentile(builds, 95), 'ms', target);
    figure('dev', `timeline redraw on zoom, ${clips} clips + ${tweens} tweens, p95 of 30`, percentile(draws, 95), 'ms', '< 16 ms');
    await context.close();
    await dev.stop();
  }
}

export async function run({ root, figure, log }) {
  const dir = templateProject(root, 'title-card');
  const index = join(dir, 'index.html');
  writeFileSync(join(dir, 'bench.css'), '#root { outline: 0px solid rgb(0 0 0 / 0); }\n');
  writeFileSync(index, readFileSync(index, 'utf8').replace('</head>', '  <link rel="stylesheet" href="bench.css">\n  </head>'));

  const { launchBrowser } = await import(join(root, 'dist/node/browser/launch.js'));
  const browser = await launchBrowser();
  try {
    const printed = [];
    const ready = [];
    const painted = [];
    for (let i = 0; i < 7; i++) {
      // A browser with a tab open, as when the user switches to it (or --open opens one).
      const context = await browser.browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      const dev = startDev(root, dir);
      const { url, ms } = await dev.url;
      printed.push(ms);
      await page.goto(url);
      await page.waitForFunction(() => window.__framesmithDev?.updates.length > 0, null, { timeout: 30_000 });
      const at = await page.evaluate(() => performance.timeOrigin + window.__framesmithDev.updates[0].at);
      painted.push(at - dev.t0);
      ready.push(await dev.ready);
      await context.close();
      await dev.stop();
    }
    figure('dev', 'start to URL printed (listening), median of 7', median(printed), 'ms', '< 300 ms');
    figure('dev', 'start to Vite and watcher ready, median', median(ready), 'ms');
    figure('dev', 'start to first frame painted in the browser (warm browser), median', median(painted), 'ms', '< 1000 ms');

    const dev = startDev(root, dir);
    const { url } = await dev.url;
    await dev.ready;
    const context = await browser.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.__framesmithDev?.updates.length > 0, null, { timeout: 30_000 });

    const seeks = await page.evaluate(async () => {
      const dev = window.__framesmithDev;
      const n = dev.state().frameCount;
      const out = [];
      let s = 12345;
      for (let i = 0; i < 300; i++) {
        s = (s * 16807) % 2147483647;
        const t0 = performance.now();
        await dev.seek(s % n);
        out.push(performance.now() - t0);
      }
      return out;
    });
    figure('dev', 'scrub: seek to painted, median (300 random frames, 1080p)', median(seeks), 'ms');
    figure('dev', 'scrub: seek to painted p95', percentile(seeks, 95), 'ms', '< 16 ms');

    // 40 saves each, so the p95 is not just the slowest save (with 15, p95 is the maximum).
    const SAVES = 40;
    async function saveToPainted(file, edit, reason) {
      const times = [];
      for (let i = 0; i < SAVES; i++) {
        const before = await page.evaluate(() => window.__framesmithDev.updates.length);
        const t0 = epoch();
        writeFileSync(file, edit(readFileSync(file, 'utf8'), i));
        await page.waitForFunction((n) => window.__framesmithDev.updates.length > n, before, { timeout: 15_000 });
        const u = await page.evaluate(() => {
          const x = window.__framesmithDev.updates.at(-1);
          return { reason: x.reason, at: performance.timeOrigin + x.at };
        });
        if (u.reason !== reason) throw new Error(`expected a ${reason} update, got ${u.reason}`);
        times.push(u.at - t0);
        await new Promise((r) => setTimeout(r, 150));
      }
      return times;
    }
    const html = await saveToPainted(
      index,
      (t, i) => t.replace(/<!-- bench \d+ -->|<\/body>/, (m) => (m === '</body>' ? `<!-- bench ${i} --></body>` : `<!-- bench ${i} -->`)),
      'change',
    );
    figure('dev', `save HTML to updated frame painted, median (${SAVES} saves)`, median(html), 'ms');
    figure('dev', 'save HTML to updated frame painted p95', percentile(html, 95), 'ms', '< 150 ms');
    const css = await saveToPainted(join(dir, 'bench.css'), (_t, i) => `#root { outline: ${i % 3}px solid rgb(0 0 0 / 0); }\n`, 'css');
    figure('dev', `save CSS to updated frame painted, median (${SAVES} saves)`, median(css), 'ms');
    figure('dev', 'save CSS to updated frame painted p95', percentile(css, 95), 'ms', '< 50 ms');
    figure('dev', 'dev server memory (RSS) after the runs above', rssMb(dev.child.pid), 'MB', '< 200 MB');

    // The filmstrip, once the server has made it for the timeline at fit zoom (nothing else running).
    let film = await page.evaluate(() => window.__framesmithDev.filmstrip());
    for (let still = 0, waited = 0; still < 3 && waited < 60; waited++) {
      await new Promise((r) => setTimeout(r, 1000));
      const next = await page.evaluate(() => window.__framesmithDev.filmstrip());
      still = next.current > 0 && next.current === film.current ? still + 1 : 0;
      film = next;
    }
    figure('dev', `filmstrip: thumbnails in the page (title-card, 1440 px window)`, film.count, '');
    figure('dev', 'filmstrip cache memory in the page (decoded bitmaps)', film.bytes / 1024 / 1024, 'MB');
    figure('dev', 'filmstrip cache memory in the server (JPEG, budget 24 MB)', film.serverBytes / 1024 / 1024, 'MB');
    figure('dev', 'dev server memory (RSS) with the filmstrip made', rssMb(dev.child.pid), 'MB', '< 200 MB');
    figure(
      'dev',
      'filmstrip capture process and its Chromium (RSS summed, shared pages counted per process)',
      filmstripMb(dev.child.pid),
      'MB',
    );
    figure('dev', 'filmstrip capture process and its Chromium (PSS summed: shared pages divided)', filmstripMb(dev.child.pid, pssMb), 'MB');
    await context.close();
    await dev.stop();

    await timelineFigures(root, browser, figure);
  } finally {
    await browser.close();
  }

  const tool = officialTool(root);
  if (!tool) return log('official preview: not installed here, skipped');
  const official = [];
  for (let i = 0; i < 3; i++) official.push(await officialStart(tool, dir, 3400 + i));
  figure('dev', 'official `hyperframes preview` start to URL printed, median of 3', median(official), 'ms');
}
