/** `-o`'s extension against `--format` (src/options/output-extension.ts), the rule local and cloud renders share. */
import { describe, expect, it } from 'vitest';
import { outputExtensionProblem } from '../../src/options/output-extension.js';

describe('-o extension against --format', () => {
  it('refuses a format extension that contradicts --format, naming both', () => {
    expect(outputExtensionProblem('out/x.mp4', 'mov')).toEqual({
      code: 'output_extension_mismatch',
      message: '-o out/x.mp4 ends in .mp4, but --format is mov.',
      hint: 'Leave out --format (the extension picks it), or name the file *.mov.',
    });
    expect(outputExtensionProblem('X.WEBM', 'mp4')?.message).toBe('-o X.WEBM ends in .WEBM, but --format is mp4.');
  });
  it('says nothing when they agree, when one is missing, for a folder, an unknown extension or an invalid --format', () => {
    expect(outputExtensionProblem('x.mov', 'mov')).toBeNull();
    expect(outputExtensionProblem('x.MOV', 'mov')).toBeNull();
    expect(outputExtensionProblem('x.mp4', undefined)).toBeNull();
    expect(outputExtensionProblem(undefined, 'mov')).toBeNull();
    expect(outputExtensionProblem('renders.mp4/', 'mov')).toBeNull();
    expect(outputExtensionProblem('x.avi', 'mov')).toBeNull();
    expect(outputExtensionProblem('x.mp4', 'gif')).toBeNull();
  });
});
