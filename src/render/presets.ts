/**
 * What each `--quality` and `--format` means for the encoder, as data. The values follow the
 * official HyperFrames engine (0.8.170), so a local render is encoded like the cloud's:
 * H.264 presets/CRFs, VP9 with alpha for webm, ProRes 4444 with alpha for mov.
 */
import type { RenderFormat, RenderQuality } from '../options/render-params.js';

export interface QualityPreset {
  /** libx264 `-preset`. */
  x264Preset: 'ultrafast' | 'medium' | 'slow';
  /** CRF for libx264 and libvpx-vp9. */
  crf: number;
  /** libvpx-vp9 `-deadline`. */
  vp9Deadline: 'realtime' | 'good';
  /** Extra x264 tuning the engine adds (draft keeps only the adaptive quantiser). */
  x264Params: string;
}

const BT709_X264 = 'colorprim=bt709:transfer=bt709:colormatrix=bt709';

export const QUALITY_PRESETS: Record<RenderQuality, QualityPreset> = {
  draft: { x264Preset: 'ultrafast', crf: 28, vp9Deadline: 'realtime', x264Params: `aq-mode=3:${BT709_X264}` },
  standard: { x264Preset: 'medium', crf: 18, vp9Deadline: 'good', x264Params: `aq-mode=3:aq-strength=0.8:deblock=1,1:${BT709_X264}` },
  high: { x264Preset: 'slow', crf: 15, vp9Deadline: 'good', x264Params: `aq-mode=3:aq-strength=0.8:deblock=1,1:${BT709_X264}` },
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
