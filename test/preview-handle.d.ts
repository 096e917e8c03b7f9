/**
 * The preview page's test handle, `window.__framesmithDev` (preview/test-handle.ts), typed for the
 * functions end-to-end tests hand to `page.evaluate`.
 */
import type { TestHandle } from '../preview/test-handle';

declare global {
  interface Window {
    __framesmithDev: TestHandle;
    /** Left by a test in the composition's window: gone after a reload, kept by a hot update. */
    __testMarker?: string;
  }
}

export {};
