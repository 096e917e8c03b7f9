/** One answer to "is this path inside that folder" (src/core/inside.ts), edge cases included. */
import { describe, expect, it } from 'vitest';
import { climbsOut, isBelow, isWithin, relativeInside } from '../../src/core/inside.js';

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
  it('a trailing slash on either side changes nothing (build output, dev gate, cloud batch folder)', () => {
    expect(isWithin('/p/', '/p')).toBe(true);
    expect(isBelow('/p/', '/p')).toBe(false);
    expect(isBelow('/p', '/p/')).toBe(false);
    expect(relativeInside('/p/', '/p/build/p.zip')).toBe('build/p.zip');
  });
  it('a sibling with a common prefix is neither within nor below, also one level deeper', () => {
    expect(isWithin('/a/b', '/a/bc')).toBe(false);
    expect(isBelow('/a/b', '/a/bc/x.zip')).toBe(false);
    expect(isWithin('/a/b/renders', '/a/b/renders-old')).toBe(false);
  });
  it('a path climbing out with .. and back in is judged where it lands', () => {
    expect(isWithin('/a/b', '/a/b/../b/x')).toBe(true);
    expect(isWithin('/a/b', '/a/b/x/../..')).toBe(false);
    expect(isBelow('/a/b', '/a/b/x/..')).toBe(false);
    expect(relativeInside('/a/b', '/a/b/..')).toBeNull();
  });
});

describe('climbsOut (project-relative paths)', () => {
  it('is true for .. and ../x, false for ..x and plain names', () => {
    expect(climbsOut('..')).toBe(true);
    expect(climbsOut('../secret.txt')).toBe(true);
    expect(climbsOut('..notes.txt')).toBe(false);
    expect(climbsOut('..x/a.js')).toBe(false);
    expect(climbsOut('src/a.js')).toBe(false);
  });
});
