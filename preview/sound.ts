/**
 * Sound in the preview, mixed the way the render mixes it: every `<audio>` that is not muted and
 * every `<video data-has-audio="true">` (at any sub-composition depth), cut to its clip window
 * from `data-media-start`, at its `data-volume` and `data-playback-rate`. The page's own media
 * elements stay paused (the runtime seeks them frame by frame); the sound is played here with
 * Web Audio from decoded copies, started at sample-exact offsets, and playback is re-anchored to
 * the audio clock so picture and sound stay together. Silent while paused, stepping or playing
 * backward; dragging the playhead plays a short grain at each new position. A master volume and
 * mute apply on top. A source that cannot be decoded is reported and left out; playback goes on.
 * The decoded copies also give the timeline its waveforms.
 */
import type { LiveDescription } from '../shared/live';
import type { Player } from './player';
import type { SoundProblem } from './problems';
import type { Store } from './store';

export interface SoundTrack {
  src: string;
  kind: 'audio' | 'video';
  /** Root seconds. */
  start: number;
  end: number;
  mediaStart: number;
  rate: number;
  volume: number;
  label: string;
}

interface Decoded {
  buffer: AudioBuffer | null;
  peaks: Float32Array | null;
  error: string | null;
  promise: Promise<void>;
}

/** Waveform resolution. */
export const PEAKS_PER_SECOND = 100;
/** Sources longer than this are not decoded (memory). */
const MAX_SECONDS = 30 * 60;
/** Time between asking sources to start and them starting: room for scheduling. */
const LEAD = 0.06;

/** The sound-producing clips of a description, in root time, clipped to their composition's window. */
export function soundTracks(live: LiveDescription | null): SoundTrack[] {
  const out: SoundTrack[] = [];
  for (const comp of live?.compositions ?? []) {
    for (const clip of comp.clips) {
      const m = clip.media;
      if (!m || !m.audible || !m.src) continue;
      const end = Math.min(clip.end, comp.end, live!.duration);
      if (end <= clip.start) continue;
      out.push({
        src: m.src,
        kind: m.kind,
        start: clip.start,
        end,
        mediaStart: m.mediaStart,
        rate: m.rate > 0 ? m.rate : 1,
        volume: m.volume,
        label: clip.id ? `#${clip.id}` : `<${clip.tag}>`,
      });
    }
  }
  return out;
}

export class Sound {
  private ctx: AudioContext | null = null;
  private master: GainNode | null = null;
  private analyser: AnalyserNode | null = null;
  private tracks: SoundTrack[] = [];
  private readonly decoded = new Map<string, Decoded>();
  private playing: { nodes: AudioScheduledSourceNode[]; gains: GainNode[]; fromTime: number; at: number; rate: number } | null = null;
  private scrubbing = false;
  private lastGrain = 0;
  private problemList: SoundProblem[] = [];
  onProblems: (list: SoundProblem[]) => void = () => {};
  /** A source finished decoding (the timeline draws its waveform). */
  onDecoded: (src: string) => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly player: Player,
  ) {
    store.subscribe((s, changed) => {
      if (changed.has('volume') || changed.has('muted')) this.applyVolume();
      if (changed.has('playing') || changed.has('rate')) {
        this.stop();
        if (s.playing === 'forward') this.start();
        return;
      }
      if (changed.has('frame')) this.onFrame();
    });
  }

  /** New description (a load): the tracks to play; sources are decoded in the background. */
  setTracks(live: LiveDescription | null): void {
    this.tracks = soundTracks(live);
    for (const t of this.tracks) this.decode(t);
    this.problemList = this.problemList.filter((p) => this.tracks.some((t) => t.src === p.url));
    this.onProblems(this.problemList);
    if (this.store.state.playing === 'forward') {
      this.stop();
      this.start();
    }
  }

  get hasSound(): boolean {
    return this.tracks.length > 0;
  }

  get problems(): SoundProblem[] {
    return this.problemList;
  }

  /** Peaks (0–1) of a source at PEAKS_PER_SECOND, once decoded. */
  peaks(src: string): Float32Array | null {
    return this.decoded.get(src)?.peaks ?? null;
  }

  /** RMS of what goes out now, after volume and mute (what the user hears). */
  level(): number {
    if (!this.analyser) return 0;
    const data = new Float32Array(this.analyser.fftSize);
    this.analyser.getFloatTimeDomainData(data);
    let sum = 0;
    for (const v of data) sum += v * v;
    return Math.sqrt(sum / data.length);
  }

  /** Decoded and failed sources (tests). */
  status(): Record<string, 'decoding' | 'ready' | 'failed'> {
    const out: Record<string, 'decoding' | 'ready' | 'failed'> = {};
    for (const [src, d] of this.decoded) out[src] = d.error ? 'failed' : d.buffer ? 'ready' : 'decoding';
    return out;
  }

  /** Waits until every current source is decoded or failed (tests). */
  async ready(): Promise<void> {
    await Promise.all(this.tracks.map((t) => this.decoded.get(t.src)?.promise));
  }

  setScrubbing(active: boolean): void {
    this.scrubbing = active;
  }

  private audio(): AudioContext {
    if (!this.ctx) {
      this.ctx = new AudioContext({ latencyHint: 'interactive' });
      this.master = this.ctx.createGain();
      this.analyser = this.ctx.createAnalyser();
      this.analyser.fftSize = 2048;
      this.master.connect(this.analyser);
      this.analyser.connect(this.ctx.destination);
      this.applyVolume();
    }
    if (this.ctx.state === 'suspended') void this.ctx.resume();
    return this.ctx;
  }

  private applyVolume(): void {
    if (!this.master || !this.ctx) return;
    const s = this.store.state;
    this.master.gain.setTargetAtTime(s.muted ? 0 : s.volume, this.ctx.currentTime, 0.01);
  }

  private decode(t: SoundTrack): void {
    if (this.decoded.has(t.src)) return;
    const entry: Decoded = { buffer: null, peaks: null, error: null, promise: Promise.resolve() };
    this.decoded.set(t.src, entry);
    entry.promise = (async () => {
      try {
        const res = await fetch(t.src);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const bytes = await res.arrayBuffer();
        // Decoding runs off the main thread; an offline context needs no user gesture.
        const buffer = await new OfflineAudioContext(1, 1, 48000).decodeAudioData(bytes);
        if (buffer.duration > MAX_SECONDS) throw new Error(`longer than ${MAX_SECONDS / 60} minutes; the preview does not play it`);
        entry.buffer = buffer;
        entry.peaks = await computePeaks(buffer);
        this.onDecoded(t.src);
        if (this.playing) this.scheduleTrack(t, entry.buffer, this.ctx!.currentTime + LEAD);
      } catch (error) {
        const e = error as Error;
        entry.error = e.message || String(e);
        const path = displayPath(t.src);
        const noTrack = t.kind === 'video';
        this.problemList.push({
          code: noTrack ? 'video_sound_not_decoded' : 'audio_decode_failed',
          severity: noTrack ? 'warning' : 'error',
          url: t.src,
          message: noTrack
            ? `${path} (${t.label}) has data-has-audio="true" but no sound could be decoded from it (${entry.error}); the preview plays on without it.`
            : `${path} (${t.label}) could not be decoded as sound (${entry.error}); the preview plays on without it.`,
          hint: noTrack
            ? 'Remove data-has-audio if the video has no sound track, or re-encode it with one (AAC or Opus).'
            : 'Check that the file is audio in a format Chromium plays (MP3, AAC/M4A, WAV, Ogg/Opus); re-encode it, e.g. ffmpeg -i in -c:a aac out.m4a.',
        });
        this.onProblems(this.problemList);
      }
    })();
  }

  /** The audio clock's moment `when` in this page's performance.now() time. */
  private perfTimeOf(when: number): number {
    const ctx = this.ctx!;
    const stamp = ctx.getOutputTimestamp?.();
    const base =
      stamp && stamp.contextTime !== undefined && stamp.performanceTime
        ? stamp
        : { contextTime: ctx.currentTime, performanceTime: performance.now() };
    return base.performanceTime! + (when - base.contextTime!) * 1000 + (ctx.outputLatency || 0) * 1000;
  }

  private start(): void {
    const s = this.store.state;
    if (!this.tracks.length || s.playing !== 'forward') return;
    const ctx = this.audio();
    const at = ctx.currentTime + LEAD;
    const fromTime = s.frame / s.fps;
    this.playing = { nodes: [], gains: [], fromTime, at, rate: s.rate };
    for (const t of this.tracks) {
      const d = this.decoded.get(t.src);
      if (d?.buffer) this.scheduleTrack(t, d.buffer, at);
    }
    // Frames follow the sound: playback counts from when the sound starts.
    this.player.reanchorAt(s.frame, this.perfTimeOf(at));
  }

  /** Starts one track's source so it plays what is due from `when` on. */
  private scheduleTrack(t: SoundTrack, buffer: AudioBuffer, when: number): void {
    const p = this.playing;
    const ctx = this.ctx;
    if (!p || !ctx || !this.master) return;
    // Composition time at `when`.
    const now = p.fromTime + Math.max(0, when - p.at) * p.rate;
    if (t.end <= now) return;
    const delay = Math.max(0, t.start - now) / p.rate;
    const begin = Math.max(t.start, now);
    const offset = t.mediaStart + (begin - t.start) * t.rate;
    if (offset >= buffer.duration) return;
    const length = Math.min((t.end - begin) * t.rate, buffer.duration - offset);
    const node = ctx.createBufferSource();
    node.buffer = buffer;
    node.playbackRate.value = t.rate * p.rate;
    const gain = ctx.createGain();
    gain.gain.value = t.volume;
    node.connect(gain).connect(this.master);
    node.start(when + delay, offset, length);
    p.nodes.push(node);
    p.gains.push(gain);
  }

  private stop(): void {
    const p = this.playing;
    this.playing = null;
    if (!p || !this.ctx) return;
    const t = this.ctx.currentTime;
    // A short fade instead of a click.
    for (const g of p.gains) g.gain.setTargetAtTime(0, t, 0.004);
    for (const n of p.nodes) {
      try {
        n.stop(t + 0.03);
      } catch {
        /* not started yet */
      }
    }
  }

  private onFrame(): void {
    const s = this.store.state;
    if (this.playing && s.playing === 'forward' && this.ctx) {
      // The picture jumped (a loop, a click on the timeline): start the sound again from there.
      const p = this.playing;
      const heard = p.fromTime + Math.max(0, this.ctx.currentTime - p.at) * p.rate;
      if (Math.abs(s.frame / s.fps - heard) > Math.max(0.25, 3 / s.fps) && this.ctx.currentTime > p.at) {
        this.stop();
        this.start();
      }
      return;
    }
    if (this.scrubbing && !s.playing) this.grain(s.frame / s.fps);
  }

  /** A short piece of sound at composition time `t` (scrubbing). */
  private grain(t: number): void {
    const now = performance.now();
    if (now - this.lastGrain < 45 || !this.tracks.length) return;
    this.lastGrain = now;
    const ctx = this.audio();
    const length = 0.07;
    for (const tr of this.tracks) {
      const buffer = this.decoded.get(tr.src)?.buffer;
      if (!buffer || t < tr.start || t >= tr.end) continue;
      const offset = tr.mediaStart + (t - tr.start) * tr.rate;
      if (offset >= buffer.duration) continue;
      const node = ctx.createBufferSource();
      node.buffer = buffer;
      const gain = ctx.createGain();
      const at = ctx.currentTime + 0.005;
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(tr.volume, at + 0.008);
      gain.gain.setValueAtTime(tr.volume, at + length - 0.015);
      gain.gain.linearRampToValueAtTime(0, at + length);
      node.connect(gain).connect(this.master!);
      node.start(at, offset, length);
    }
  }
}

function displayPath(url: string): string {
  try {
    const u = new URL(url, location.href);
    return u.origin === location.origin ? decodeURIComponent(u.pathname.replace(/^\/+/, '')) : url;
  } catch {
    return url;
  }
}

/**
 * Peak level per 1/PEAKS_PER_SECOND s over all channels, computed in slices that yield, scaled
 * so the loudest is 1 (a quiet file still shows its shape).
 */
async function computePeaks(buffer: AudioBuffer): Promise<Float32Array> {
  const per = Math.max(1, Math.round(buffer.sampleRate / PEAKS_PER_SECOND));
  const n = Math.ceil(buffer.length / per);
  const peaks = new Float32Array(n);
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
  const slice = 2000;
  for (let start = 0; start < n; start += slice) {
    const end = Math.min(n, start + slice);
    for (const data of channels) {
      for (let i = start; i < end; i++) {
        let m = peaks[i];
        const to = Math.min(data.length, (i + 1) * per);
        for (let k = i * per; k < to; k++) {
          const v = data[k] < 0 ? -data[k] : data[k];
          if (v > m) m = v;
        }
        peaks[i] = m;
      }
    }
    if (end < n) await new Promise((r) => setTimeout(r, 0));
  }
  let max = 0;
  for (const v of peaks) if (v > max) max = v;
  if (max > 0) for (let i = 0; i < n; i++) peaks[i] /= max;
  return peaks;
}
