/**
 * The composition model: what a project folder means, as plain serialisable data. The Node-side
 * parser (`src/model`) produces it; lint, build, dev, render and the dev overlay read it.
 * Pure data: no DOM, no Node imports.
 */
import type { Diagnostic, SourceLocation } from './diagnostics.js';
import type { VariableDeclaration } from './variables.js';

/** Kinds of timed element, by how the engine treats them. */
export type ClipKind = 'element' | 'image' | 'video' | 'audio' | 'composition';

/** An element with `data-start`, with its window resolved to absolute seconds. */
export interface Clip {
  /** The element's `id`, or null when it has none (lint reports that). */
  id: string | null;
  kind: ClipKind;
  /** Lower-case tag name. */
  tag: string;
  /** Raw `data-start` as written: `"1.5"`, `"intro"`, `"intro + 0.5"`. */
  startExpr: string;
  /** Absolute start in seconds from the composition's own time zero. */
  start: number;
  /** Seconds; for media without `data-duration` this is null until the media length is known. */
  duration: number | null;
  /** `start + duration`, or null when the duration is unknown. */
  end: number | null;
  /** `data-track-index`, or null when absent. */
  track: number | null;
  /** Whether the element carries `class="clip"`. */
  hasClipClass: boolean;
  loc: SourceLocation;
}

/** A `<video>` or `<audio>` element. */
export interface MediaElement {
  id: string | null;
  kind: 'video' | 'audio';
  /** `src` as written (or of the first `<source>`), null when missing. */
  src: string | null;
  start: number | null;
  duration: number | null;
  track: number | null;
  /** `data-media-start`, seconds into the source. */
  mediaStart: number;
  volume: number;
  playbackRate: number;
  muted: boolean;
  hasAudio: boolean;
  loc: SourceLocation;
}

/** A host element that mounts another composition file. */
export interface SubCompositionInstance {
  /** The host element's `id`, when it has one. */
  hostId: string | null;
  /** `data-composition-id` on the host (must equal the child's root id). */
  compositionId: string;
  /** `data-composition-src` as written, relative to the project root. */
  src: string;
  start: number;
  duration: number | null;
  end: number | null;
  track: number | null;
  /** `data-playback-start`: seconds into the child timeline. */
  playbackStart: number;
  /** Parsed `data-variable-values`, `{}` when absent or invalid (a diagnostic says so). */
  variableValues: Record<string, unknown>;
  loc: SourceLocation;
  /** The parsed child, null when the file could not be read or parsed (a diagnostic says why). */
  composition: CompositionModel | null;
}

export type AssetKind = 'script' | 'style' | 'image' | 'media' | 'font' | 'document' | 'other';

/** A reference from a user file to another file or URL. */
export interface AssetRef {
  /** The reference as written (`vendor/gsap.min.js`, `https://cdn…`, `url(fonts/a.woff2)` → `fonts/a.woff2`). */
  url: string;
  kind: AssetKind;
  /** Where it was found: an attribute, a `<style>` block, an inline `style=""`, or a .css file. */
  via: 'attribute' | 'style-tag' | 'inline-style' | 'css-file';
  /** http(s) or protocol-relative: loaded from the network. */
  external: boolean;
  /** `data:`/`blob:`/`#fragment`/`about:`: nothing to load from disk. */
  inline: boolean;
  /** Project-relative path it resolves to (forward slashes), null when external, inline, or outside the root. */
  path: string | null;
  /** True when the path climbs above the project root. */
  outsideRoot: boolean;
  /** True when a file exists at `path` with exactly this letter case. */
  exists: boolean;
  /** When the file exists only with other letter case, its real project-relative path. */
  caseMismatch: string | null;
  /**
   * Set when a file is there but the file-access policy refuses it (outside the project, a dotfile
   * or a secret, also through a symlink): why, for the user's terminal. `exists` is false then.
   */
  refused?: string | null;
  loc: SourceLocation;
}

/** One composition (the entry's root, or a sub-composition file's root). */
export interface CompositionModel {
  /** `data-composition-id`. Empty string when missing (a diagnostic says so). */
  id: string;
  /** Project-relative file holding it. */
  file: string;
  /** The root element's `id` attribute, when present. */
  elementId: string | null;
  width: number;
  height: number;
  start: number;
  /** Seconds. From `data-duration`; 0 when missing (a diagnostic says so). */
  duration: number;
  /** `data-fps`, or null when not declared (renders default to 30). */
  fps: number | null;
  /** `data-no-timeline`: the composition registers no GSAP timeline. */
  noTimeline: boolean;
  /** Whether the file wraps its root in a `<template>` (allowed for sub-compositions only). */
  inTemplate: boolean;
  variables: VariableDeclaration[];
  clips: Clip[];
  media: MediaElement[];
  subCompositions: SubCompositionInstance[];
  loc: SourceLocation;
}

/** A whole project as the parser sees it. */
export interface ProjectModel {
  /** Absolute path of the project folder. */
  root: string;
  /** Project-relative path of the entry HTML (`index.html` by default). */
  entry: string;
  /** Every HTML file in the project that looks like an entry (has a composition root, not in a template). */
  entries: string[];
  composition: CompositionModel;
  /** Every asset reference in the entry and its sub-compositions, including .css files they load. */
  assets: AssetRef[];
  /** Problems found while parsing; lint adds its own on top. */
  diagnostics: Diagnostic[];
}

/** Frames per second used when neither the command line nor `data-fps` says. */
export const DEFAULT_FPS = 30;
