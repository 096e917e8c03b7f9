/** `FRAMESMITH_OFFLINE=1`: remote files only from the content cache (its own module: no imports, no cycles). */
export function isOfflineFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes)$/i.test(env.FRAMESMITH_OFFLINE ?? '');
}
