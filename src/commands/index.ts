/**
 * The command table. Each command lives in its own file and is loaded only when used, so
 * `framesmith --help` and `framesmith dev` start fast.
 */
import type { CommandDef } from 'citty';

// Each command has its own argument types; a table of them takes any (CommandDef<ArgsDef> refuses them: `run` takes its own args).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loader = () => Promise<CommandDef<any>>;

export const commands: Record<string, { description: string; load: Loader }> = {
  dev: {
    description: 'Preview a composition live: scrubber, variables panel, hot reload',
    load: async () => (await import('./dev.js')).default,
  },
  render: {
    description: 'Render a video locally (Chromium + ffmpeg) or on HeyGen with --cloud',
    load: async () => (await import('./render.js')).default,
  },
  snapshot: { description: 'Write PNG stills of a composition at given times', load: async () => (await import('./snapshot.js')).default },
  renders: {
    description: 'List, inspect, download and delete HeyGen cloud renders',
    load: async () => (await import('./renders.js')).default,
  },
  webhooks: {
    description: 'Manage HeyGen webhook endpoints and verify signatures',
    load: async () => (await import('./webhooks.js')).default,
  },
  lint: { description: 'Check a composition project against the render contract', load: async () => (await import('./lint.js')).default },
  build: {
    description: 'Lint, bundle, check in Chromium and zip a project for the cloud',
    load: async () => (await import('./build.js')).default,
  },
  vendor: {
    description: 'Copy remote scripts, fonts and files into the project and rewrite their references',
    load: async () => (await import('./vendor.js')).default,
  },
  cache: { description: "Show or clear framesmith's cache of remote files", load: async () => (await import('./cache.js')).default },
  new: { description: 'Create a composition project from a template', load: async () => (await import('./new.js')).default },
};
