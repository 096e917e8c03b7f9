/**
 * What each `--quality` and `--format` means for the capture and the encoder, as data.
 *
 * The names and their meaning are the cloud's (`draft` fast and rough, `standard` the default,
 * `high` the best); the settings behind them were chosen on this machine from measurements
 * (docs/performance.md, "Encode quality"), not copied: quality is the PSNR of a video against the
 * lossless frames of the same render, and `standard` must be within 0.5 dB of the official
 * engine's default (`looks`: JPEG q100 frames, x264 `medium`, CRF 16) on every bench
 * composition, `high` above it, each at the least CPU that reaches it.
 *
 * mp4 frames travel as JPEG: Chromium encodes them with 4:2:0 chroma, which ffmpeg hands to x264
 * without resampling (see encode-args.ts), so a high JPEG quality costs little and loses little
 * more than the 4:2:0 video itself. webm and mov keep the engine's settings (PNG frames for alpha).
 *
 * What the measurements said (bench render `tune`; docs/performance.md has the table): the
 * 4:2:0 chroma of the video bounds the PSNR of colourful graphics (≈ 41 dB on the dense chart
 * even with a lossless encode), so CRF and preset move it by tenths of a dB there; JPEG q95
 * frames lose 0.2–0.7 dB against q100 for 10–15% less capture CPU, too much for `standard`;
 * x264 `veryfast` at CRF 14 matches `medium` at CRF 16 within 0.25 dB at about half the
 * encoder's CPU (files ≈ 1.4x larger); `faster` at CRF 12 beats it. `superfast` scores higher
 * still but writes files 3–5x larger, a cost users pay in disk and upload.
 */
import type { RenderFormat, RenderQuality } from '../cloud/types.js';

export type X264Preset = 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium' | 'slow';

export interface QualityPreset {
  /** JPEG quality of the captured frames of opaque formats (mp4). */
  jpegQuality: number;
  /** libx264 `-preset`. */
  x264Preset: X264Preset;
  /** libx264 CRF. */
  crf: number;
  /** Extra x264 tuning: the engine's adaptive quantiser and deblocking (draft keeps only the quantiser). */
  x264Params: string;
  /** CRF for libvpx-vp9 (webm). */
  vp9Crf: number;
  /** libvpx-vp9 `-deadline`. */
  vp9Deadline: 'realtime' | 'good';
}

const BT709_X264 = 'colorprim=bt709:transfer=bt709:colormatrix=bt709';
const ENGINE_TUNING = `aq-mode=3:aq-strength=0.8:deblock=1,1:${BT709_X264}`;

export const QUALITY_PRESETS: Record<RenderQuality, QualityPreset> = {
  draft: { jpegQuality: 80, x264Preset: 'ultrafast', crf: 28, x264Params: `aq-mode=3:${BT709_X264}`, vp9Crf: 28, vp9Deadline: 'realtime' },
  standard: { jpegQuality: 100, x264Preset: 'veryfast', crf: 14, x264Params: ENGINE_TUNING, vp9Crf: 18, vp9Deadline: 'good' },
  high: { jpegQuality: 100, x264Preset: 'faster', crf: 12, x264Params: ENGINE_TUNING, vp9Crf: 15, vp9Deadline: 'good' },
};

export interface FormatFacts {
  /** ffmpeg muxer name (`-f`). */
  muxer: string;
  extension: string;
  /** Keeps transparency: frames are captured on a transparent background. */
  alpha: boolean;
  /** Pixel format written. */
  pixFmt: string;
  /** Audio codec arguments. */
  audio: string[];
  /** 4k is accepted (the cloud renders 4k as mp4 only). */
  allows4k: boolean;
}

export const FORMAT_FACTS: Record<RenderFormat, FormatFacts> = {
  mp4: { muxer: 'mp4', extension: '.mp4', alpha: false, pixFmt: 'yuv420p', audio: ['-c:a', 'aac', '-b:a', '192k'], allows4k: true },
  webm: { muxer: 'webm', extension: '.webm', alpha: true, pixFmt: 'yuva420p', audio: ['-c:a', 'libopus', '-b:a', '128k'], allows4k: false },
  mov: { muxer: 'mov', extension: '.mov', alpha: true, pixFmt: 'yuva444p10le', audio: ['-c:a', 'aac', '-b:a', '192k'], allows4k: false },
};

/** Device pixels per CSS pixel for a `--resolution`: 4k is the composition supersampled 2x. */
export function scaleFor(resolution: '1080p' | '4k'): number {
  return resolution === '4k' ? 2 : 1;
}
