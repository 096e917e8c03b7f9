// Issue 6 figures: `framesmith render` of three 1080p30 compositions (bench/compositions: a 10 s
// title with a long hold, a 15 s chart moving on every frame, a 20 s five-scene promo) with the
// default workers and standard quality: frames, wall time, end-to-end fps, frames drawn vs reused,
// and the peak memory of the whole process tree (node + Chromium + ffmpeg, sampled from /proc
// every 100 ms). Then the official CLI renders the same folder with matching settings (2 workers,
// standard, 30 fps) for the speed ratio and per-frame PSNR of our video against its video.
// BENCH_RENDER=title-10s,chart-15s picks compositions; BENCH_OFFICIAL=0 skips the official CLI.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchComposition, median, officialTool, psnrFrames, runSampled, tempDir, videoFrames } from './lib.mjs';

export const title = 'local render vs the official engine (issue 6)';

const COMPOSITIONS = ['title-10s', 'chart-15s', 'promo-20s'];
const MB = 1024 * 1024;

export async function run({ root, figure, log }) {
  const picked = process.env.BENCH_RENDER ? process.env.BENCH_RENDER.split(',') : COMPOSITIONS;
  const tool = process.env.BENCH_OFFICIAL === '0' ? null : officialTool(root);
  if (!tool) log('official CLI not available (or BENCH_OFFICIAL=0): our figures only');
  const cli = join(root, 'bin', 'framesmith.js');
  for (const name of picked) {
    const dir = await benchComposition(root, name);
    // Other work on the machine slows both renders; the load says how quiet the run was.
    log(`${name}: load average before the renders ${loadavg()[0].toFixed(2)} (1 min)`);
    const out = tempDir();
    const oursVideo = join(out, 'ours.mp4');
    const ours = await runSampled(process.execPath, [cli, 'render', dir, '-o', oursVideo, '--quality', 'standard', '--json']);
    if (ours.status !== 0) throw new Error(`framesmith render ${name} failed: ${ours.stderr.slice(-2000)}`);
    const result = JSON.parse(ours.stdout);
    const s = ours.ms / 1000;
    log(`${name}: ${result.frames} frames, ${result.workers} workers (${result.captureMode}), ${result.captured} drawn, ${result.reused} reused, ${result.encoded} sent to ffmpeg`);
    figure('render', `${name} framesmith wall`, s, 's');
    figure('render', `${name} framesmith fps end to end`, result.frames / s, 'fps');
    figure('render', `${name} framesmith peak memory (RSS sum, ${ours.peak.processes} processes)`, ours.peak.rss / MB, 'MB', '< 1536 MB');
    figure('render', `${name} framesmith peak memory (PSS sum)`, ours.peak.pss / MB, 'MB');
    if (!tool) continue;

    const theirsVideo = join(out, 'official.mp4');
    const theirs = await runSampled(tool, ['render', dir, '-o', theirsVideo, '--quality', 'standard', '--workers', '2', '--fps', '30', '--quiet']);
    if (theirs.status !== 0) throw new Error(`official render ${name} failed: ${theirs.stderr.slice(-2000)}`);
    const ts = theirs.ms / 1000;
    const theirFrames = videoFrames(theirsVideo);
    figure('render', `${name} official wall`, ts, 's');
    figure('render', `${name} official fps end to end`, theirFrames / ts, 'fps');
    figure('render', `${name} official peak memory (RSS sum, ${theirs.peak.processes} processes)`, theirs.peak.rss / MB, 'MB');
    figure('render', `${name} official peak memory (PSS sum)`, theirs.peak.pss / MB, 'MB');
    figure('render', `${name} speed ratio (official wall / ours)`, ts / s, 'x', '>= 2x');
    const values = psnrFrames(oursVideo, theirsVideo);
    if (theirFrames !== result.frames) log(`${name}: frame counts differ (ours ${result.frames}, official ${theirFrames})`);
    figure('render', `${name} PSNR vs official, min over ${values.length} frames`, Math.min(...values), 'dB', '>= 35 dB');
    figure('render', `${name} PSNR vs official, median`, median(values), 'dB');
  }
}
