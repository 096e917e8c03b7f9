/**
 * The soundtrack of a local render, mixed offline as the engine does: every `<audio>` (unless
 * muted) and every `<video data-has-audio="true">`, including those inside sub-compositions, is
 * cut to its clip window (from `data-media-start`), scaled by `data-volume`, delayed to its start
 * and summed into one 48 kHz stereo WAV the length of the video. The encoder then encodes it
 * (AAC 192k for mp4/mov, Opus 128k for webm). Pages never play sound (Chromium runs muted).
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Logger } from '../core/logger.js';
import { resolveRef } from '../model/index.js';
import type { CompositionModel, MediaElement, ProjectModel } from '../../shared/model.js';
import { runTool, type FfmpegTools } from './ffmpeg.js';

export interface AudioTrack {
  /** Absolute file path. */
  file: string;
  /** Project-relative path, for messages. */
  label: string;
  /** Root-time window in seconds; `end` null = until the source or the video ends. */
  start: number;
  end: number | null;
  /** Seconds into the source at `start`. */
  mediaStart: number;
  volume: number;
}

function wanted(m: MediaElement): boolean {
  return m.kind === 'audio' ? !m.muted : m.hasAudio;
}

/** Every media element that contributes sound, with its window in root time. */
export function collectAudioTracks(model: ProjectModel, logger?: Logger): AudioTrack[] {
  const base = posix.dirname(model.entry) === '.' ? '' : posix.dirname(model.entry);
  const tracks: AudioTrack[] = [];
  const walk = (comp: CompositionModel, offset: number, windowEnd: number | null) => {
    for (const m of comp.media) {
      if (!wanted(m) || !m.src) continue;
      const ref = resolveRef(m.src, base);
      if (!ref.path) {
        logger?.warn(
          `audio: ${m.src} is not a project file; it is left out of the mix (vendor it into the project).`,
          'audio_not_in_project',
        );
        continue;
      }
      const file = join(model.root, ref.path);
      if (!existsSync(file)) continue; // the model already reported the missing file
      const start = offset + (m.start ?? 0);
      const ownEnd = m.duration !== null ? start + m.duration : null;
      const end = ownEnd === null ? windowEnd : windowEnd === null ? ownEnd : Math.min(ownEnd, windowEnd);
      if (m.playbackRate !== 1)
        logger?.warn(`audio: data-playback-rate on ${m.src} is not applied to the local mix.`, 'audio_playback_rate');
      tracks.push({ file, label: ref.path, start, end, mediaStart: m.mediaStart, volume: m.volume });
    }
    for (const sub of comp.subCompositions) {
      if (!sub.composition) continue;
      walk(sub.composition, offset + sub.start - sub.playbackStart, sub.end === null ? windowEnd : offset + sub.end);
    }
  };
  walk(model.composition, 0, null);
  return tracks;
}

async function hasAudioStream(tools: FfmpegTools, file: string, signal?: AbortSignal): Promise<boolean> {
  const out = await runTool(
    tools.ffprobe,
    ['-v', 'error', '-select_streams', 'a', '-show_entries', 'stream=index', '-of', 'csv=p=0', file],
    `reading ${file}`,
    signal,
  );
  return out.trim() !== '';
}

/**
 * Mixes the tracks that fall inside [from, from + length) seconds into `out` (WAV). Returns false
 * when none does (the video then has no audio stream).
 */
export async function mixAudio(
  tools: FfmpegTools,
  tracks: AudioTrack[],
  from: number,
  length: number,
  out: string,
  logger?: Logger,
  signal?: AbortSignal,
): Promise<boolean> {
  const inputs: string[] = [];
  const chains: string[] = [];
  for (const t of tracks) {
    const start = Math.max(t.start, from);
    const end = Math.min(t.end ?? Infinity, from + length);
    if (end <= start) continue;
    if (!(await hasAudioStream(tools, t.file, signal))) {
      logger?.warn(`audio: ${t.label} has no audio stream; left out of the mix.`, 'audio_no_stream');
      continue;
    }
    const i = chains.length;
    inputs.push('-ss', (t.mediaStart + start - t.start).toFixed(6), '-t', (end - start).toFixed(6), '-i', t.file);
    const delayMs = Math.round((start - from) * 1000);
    chains.push(
      `[${i}:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,volume=${t.volume},adelay=${delayMs}:all=1,apad,atrim=0:${length.toFixed(6)}[a${i}]`,
    );
  }
  if (!chains.length) return false;
  const mix =
    chains.length === 1
      ? `[a0]anull[out]`
      : `${chains.map((_, i) => `[a${i}]`).join('')}amix=inputs=${chains.length}:duration=longest:dropout_transition=0:normalize=0[out]`;
  await runTool(
    tools.ffmpeg,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-y',
      ...inputs,
      '-filter_complex',
      [...chains, mix].join(';'),
      '-map',
      '[out]',
      '-c:a',
      'pcm_s16le',
      '-ar',
      '48000',
      '-ac',
      '2',
      '-f',
      'wav',
      out,
    ],
    'mixing the audio',
    signal,
  );
  return true;
}
