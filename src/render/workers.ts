/**
 * How many capture workers (one Chromium each) a render uses when `--workers` is left out.
 * Measured on 2 cores: one worker leaves a core idle while ffmpeg waits for frames, two keep
 * both cores busy (about 1.4x one), a third adds nothing. So: enough workers for the cores that
 * ffmpeg does not need, at least two when there is work for two, bounded by memory (a 1080p
 * worker peaks near 300 MB, 4k near 700 MB) and by the frames (a worker's start-up costs about as
 * much as capturing 15 frames, so each one should get at least 45).
 */
import { availableParallelism, freemem, totalmem } from 'node:os';

export interface MachineFacts {
  cores: number;
  /** Bytes of memory a render may use (free memory, or half the total when that is more). */
  memory: number;
}

export function machineFacts(): MachineFacts {
  return { cores: availableParallelism(), memory: Math.max(freemem(), totalmem() / 2) };
}

const MB = 1024 * 1024;

/**
 * The most workers this machine can use: one per core (at least two, which overlap a page's
 * drawing with the other's waits), bounded by memory and by 16. More only adds browsers that wait
 * for a core and hold memory.
 */
export function maxWorkers(scale = 1, machine: MachineFacts = machineFacts()): number {
  const perWorker = (scale > 1 ? 700 : 300) * MB;
  const byMemory = Math.max(1, Math.floor((machine.memory * 0.6) / perWorker));
  return Math.max(1, Math.min(16, Math.max(2, machine.cores), byMemory));
}

/** Default worker count for `frames` frames at `scale` (1 = 1080p, 2 = 4k). */
export function defaultWorkers(frames: number, scale = 1, machine: MachineFacts = machineFacts()): number {
  const byCores = machine.cores <= 2 ? 2 : Math.min(8, machine.cores - 1);
  const perWorker = (scale > 1 ? 700 : 300) * MB;
  const byMemory = Math.max(1, Math.floor((machine.memory * 0.6) / perWorker));
  const byFrames = Math.max(1, Math.floor(frames / 45));
  return Math.max(1, Math.min(byCores, byMemory, byFrames));
}

/**
 * x264 threads: one on a machine of 2 cores or fewer, where the capture workers keep every core
 * busy and one encoder thread keeps up with them (~10% less encoder CPU and ~40 MB less memory
 * than x264's default of 1.5 per core; see encode-args.ts); x264's default elsewhere. It depends
 * on the machine only, never on the worker count, so renders with 1 or 2 workers stay identical.
 */
export function encoderThreads(machine: MachineFacts = machineFacts()): number | undefined {
  return machine.cores <= 2 ? 1 : undefined;
}
