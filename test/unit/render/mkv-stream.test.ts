import { describe, expect, test } from 'vitest';
import { videoFilter } from '../../../src/render/encode-args.js';
import { imageSize, mkvHeader } from '../../../src/render/mkv-stream.js';

/** SOI, an APP0 segment, then SOF0 with the frame size: the start of a baseline JPEG. */
function jpegHead(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof = Buffer.alloc(19);
  sof.set([0xff, 0xc0, 0x00, 0x11, 8]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof]);
}

describe('frame images in the Matroska stream', () => {
  test('imageSize reads PNG and JPEG sizes, and refuses other bytes', () => {
    const png = Buffer.alloc(33);
    png.writeUInt32BE(0x89504e47, 0);
    png.writeUInt32BE(1920, 16);
    png.writeUInt32BE(1080, 20);
    expect(imageSize(png)).toEqual([1920, 1080]);
    expect(imageSize(jpegHead(1080, 1920))).toEqual([1080, 1920]);
    expect(imageSize(Buffer.from('not an image'))).toBeNull();
  });

  test('the track says which codec the frames are', () => {
    expect(mkvHeader(1920, 1080, 'jpeg').includes(Buffer.from('V_MJPEG'))).toBe(true);
    expect(mkvHeader(1920, 1080, 'png').includes(Buffer.from('MPNG'))).toBe(true);
  });

  test('JPEG frames become BT.709 in one pass; odd sizes go through RGB to be padded', () => {
    expect(videoFilter('mp4', 30, 1920, 1080, 'jpeg')).toMatch(
      /^colorspace=ispace=bt470bg:irange=pc:.*space=bt709:range=tv:.*,format=yuv420p,fps=30$/,
    );
    const odd = videoFilter('mp4', 30, 1081, 1920, 'jpeg').split(',');
    expect(odd.indexOf('format=gbrp')).toBeLessThan(odd.findIndex((f) => f.startsWith('pad=')));
    expect(odd.slice(-2)).toEqual(['format=yuv420p', 'fps=30']);
  });
});
