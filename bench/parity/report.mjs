// The parity report: one markdown file (report.md) next to the images it links.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

export const MIN_PSNR = 35;

const db = (v) => (v === null || v === undefined ? '–' : v === Infinity ? '∞' : v.toFixed(1));
const secs = (ms) => (ms === null || ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
const verdict = (side) => (side.refused ? `refuses: \`${side.code}\`` : 'renders');
const cell = (s) =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

/**
 * Writes `report.md` into outDir and returns its path.
 * @param {import('./run.mjs').ParityResult[]} results
 * @param {{ outDir: string, engineVersion: string, framesmithRev?: string, notes?: Record<string, string>, elapsedMs?: number }} options
 *   notes: known causes by `set/name` (shown next to the figures)
 */
export function writeReport(results, { outDir, engineVersion, framesmithRev = '', notes = {}, elapsedMs }) {
  const lines = [];
  const ok = results.filter((r) => !r.error);
  const agree = ok.filter((r) => r.refusalAgrees).length;
  const deliberate = ok.filter((r) => r.deliberate).length;
  const both = ok.filter((r) => !r.framesmith.refused && !r.engine.refused && r.min !== null);
  const passing = both.filter((r) => r.min >= MIN_PSNR).length;
  lines.push('# Parity with the official HyperFrames engine');
  lines.push('');
  lines.push(
    `framesmith ${framesmithRev} against hyperframes ${engineVersion} (its \`render --format png-sequence\`), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} cores.`,
  );
  lines.push(
    `Frames compared: first, last, every clip boundary and the frame either side (as framesmith resolves them and as \`hyperframes timeline\` reads them), 10 evenly spaced. PSNR over RGB with both frames over white.`,
  );
  if (results.some((r) => r.mode === 'video'))
    lines.push(
      `Rows marked *video*: every frame of the engine's H.264 render (\`--quality high\`) at the corpus tests' low fps (about 12 frames over the clip, at least 3 fps; the render is shared with the corpus tests), against framesmith's frames with their backgrounds; encoding alone keeps a perfect match around 40–50 dB.`,
    );
  lines.push('');
  lines.push(
    `**Refusals agree on ${agree} of ${ok.length} compositions${deliberate ? ` (framesmith refuses ${deliberate} more on purpose: a project file that does not exist, which the engine renders without)` : ''}; where both render, ${passing} of ${both.length} reach min PSNR ≥ ${MIN_PSNR} dB.**${elapsedMs ? ` Whole run: ${secs(elapsedMs)}.` : ''}`,
  );
  lines.push('');
  lines.push(
    '| composition | frames | min dB | median dB | framesmith | engine | duration fs / engine | frames fs / engine | engine vs itself | note |',
  );
  lines.push('|---|---:|---:|---:|---|---|---|---|---:|---|');
  for (const r of results) {
    const id = `${r.set}/${r.name}`;
    if (r.error) {
      lines.push(`| ${id} | – | – | – | harness error | – | – | – | – | ${cell(r.error.split('\n')[0])} |`);
      continue;
    }
    if (r.ignored && !notes[id]) notes = { ...notes, [id]: 'part of the frame left out (the engine differs from itself there)' };
    const flag = r.deliberate
      ? ' (framesmith stricter on purpose)'
      : !r.refusalAgrees
        ? ' ⚠ refusals differ'
        : r.min !== null && r.min < MIN_PSNR
          ? ' ⚠'
          : '';
    lines.push(
      `| ${id} | ${r.compared}${r.mode === 'video' ? ` (video, ${r.engine.fps} fps)` : ''} | ${db(r.min)}${flag} | ${db(r.median)} | ${verdict(r.framesmith)} | ${verdict(r.engine)} | ${r.framesmith.duration ?? '–'} / ${r.engine.duration ?? '–'} s | ${r.framesmith.frameCount ?? '–'} / ${r.engine.frameCount || '–'} | ${db(r.engineSelfMin)} | ${cell(notes[id] ?? '')} |`,
    );
  }
  lines.push('');
  lines.push('## Per composition');
  for (const r of results) {
    if (r.error) continue;
    lines.push('');
    lines.push(`### ${r.set}/${r.name}`);
    lines.push('');
    if (r.worst)
      lines.push(
        `Worst frame: ${r.worst.frame} (${r.worst.time.toFixed(3)} s, ${r.worst.why}) at ${db(r.worst.psnr)} dB. framesmith | engine | difference ×4:`,
        '',
        `![worst frame](${r.worst.image})`,
        '',
      );
    if (r.deliberate)
      lines.push(
        `- framesmith refuses on purpose where the engine renders: a project file that does not exist (the cloud would render a broken picture)`,
      );
    if (r.framesmith.refused)
      lines.push(`- framesmith build refuses: ${cell(r.framesmith.message)}${r.framesmith.hint ? ` — ${cell(r.framesmith.hint)}` : ''}`);
    if (r.engine.refused)
      lines.push(`- the engine refuses: ${cell(r.engine.message)} (log: [engine-0.log](${r.set}/${r.name}/engine-0.log))`);
    if (r.framesmith.duration !== null && r.engine.duration !== null && Math.abs(r.framesmith.duration - r.engine.duration) > 1e-6)
      lines.push(`- durations differ: framesmith ${r.framesmith.duration} s, engine ${r.engine.duration} s`);
    if (r.framesmith.frameCount !== null && r.engine.frameCount && r.framesmith.frameCount !== r.engine.frameCount)
      lines.push(`- frame counts differ: framesmith ${r.framesmith.frameCount}, engine ${r.engine.frameCount}`);
    if (r.input === 'build')
      lines.push(
        `- module scripts: both sides rendered the unpacked \`framesmith build\` zip (Vite's bundle, what HeyGen receives), not the source`,
      );
    if (r.ignored)
      lines.push(
        `- left out of the PSNR: ${r.ignored.regions.map((g) => `${g.width}×${g.height} at ${g.x},${g.y}`).join(', ')} — ${cell(r.ignored.cause)}`,
      );
    const low = r.frames.filter((f) => f.psnr < MIN_PSNR);
    if (low.length) lines.push(`- frames under ${MIN_PSNR} dB: ${low.map((f) => `${f.frame} (${db(f.psnr)})`).join(', ')}`);
    const unstable = r.frames.filter((f) => f.engineSelf !== undefined && f.engineSelf !== Infinity);
    if (unstable.length)
      lines.push(
        `- the engine differs from itself between two runs at ${unstable.length} of ${r.frames.length} frames (min ${db(Math.min(...unstable.map((f) => f.engineSelf)))} dB): its own non-determinism`,
      );
    if (r.onlyFramesmith.length)
      lines.push(`- only framesmith raised: ${r.onlyFramesmith.map((p) => `\`${p.code}\` ${cell(p.message).slice(0, 160)}`).join('; ')}`);
    if (r.onlyEngine.length)
      lines.push(`- only the engine raised: ${r.onlyEngine.map((p) => `\`${p.code}\` ${cell(p.message).slice(0, 160)}`).join('; ')}`);
    if (r.remote.length)
      lines.push(`- still remote in the copy (both sides fail to load them): ${r.remote.map((u) => `\`${u}\``).join(', ')}`);
    if (r.snapshot)
      lines.push(
        `- the engine's \`snapshot\` stills vs its render: ${r.snapshot.failed ? 'snapshot failed' : `min ${db(r.snapshot.min)} dB, median ${db(r.snapshot.median)} dB`}`,
      );
    lines.push(
      `- time: framesmith ${secs(r.framesmith.ms)} (load, ${r.compared} frames, lint, build), engine render ${secs(r.engine.ms)} wall${r.engine.cpuMs !== null ? `, ${secs(r.engine.cpuMs)} CPU` : ''} for ${r.engine.frameCount} frames`,
    );
  }
  lines.push('');
  const file = join(outDir, 'report.md');
  writeFileSync(file, lines.join('\n'));
  return file;
}
