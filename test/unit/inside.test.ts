/** One answer to "is this path inside that folder" (src/core/inside.ts), edge cases included. */
import { describe, expect, it } from 'vitest';
import { isBelow, isWithin, relativeInside } from '../../src/core/inside.js';

describe('inside a folder', () => {
  it('the folder itself is within it but not below it', () => {
    expect(isWithin('/p', '/p')).toBe(true);
    expect(isBelow('/p', '/p')).toBe(false);
    expect(relativeInside('/p', '/p')).toBe('');
  });
  it('a file or folder below it, including names that start with two dots', () => {
    expect(relativeInside('/p', '/p/a/b.txt')).toBe('a/b.txt');
    expect(isBelow('/p', '/p/..notes.txt')).toBe(true);
    expect(isBelow('/p', '/p/a/../b')).toBe(true);
  });
  it('the parent, a sibling with the same prefix, and an escape through ..', () => {
    expect(isWithin('/p', '/')).toBe(false);
    expect(isWithin('/p', '/p-old/x')).toBe(false);
    expect(isWithin('/p', '/p/../q')).toBe(false);
    expect(relativeInside('/p', '/q')).toBeNull();
  });
});
