/**
 * A minimal streaming Matroska writer for still images with timestamps, the container the
 * renderer feeds ffmpeg through a pipe. `image2pipe` would need every frame, so a long hold
 * would be decoded and colour-converted hundreds of times; with timestamps only the frames that
 * differ are sent and ffmpeg's `fps` filter repeats them after conversion.
 *
 * Layout: EBML header, a Segment of unknown size (streaming), Info (1 ms timecodes), one video
 * track (PNG as VfW "MPNG", the mapping ffmpeg itself writes; JPEG as V_MJPEG), then one
 * Cluster per frame.
 */

/** The image codec of the frames in the stream. */
export type FrameImageFormat = 'png' | 'jpeg';

function sizeVint(n: number): Buffer {
  for (let len = 1; len <= 8; len++) {
    // All ones in a length is reserved for "unknown", so stay one below it.
    if (n < 2 ** (7 * len) - 1) {
      const out = Buffer.alloc(len);
      let v = n;
      for (let i = len - 1; i >= 0; i--) {
        out[i] = v % 256;
        v = Math.floor(v / 256);
      }
      out[0] |= 1 << (8 - len);
      return out;
    }
  }
  throw new RangeError(`EBML element too large: ${n} bytes`);
}

function idBytes(id: number): Buffer {
  const hex = id.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

function element(id: number, data: Buffer): Buffer {
  return Buffer.concat([idBytes(id), sizeVint(data.length), data]);
}

function uintElement(id: number, value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(value));
  let skip = 0;
  while (skip < 7 && b[skip] === 0) skip++;
  return element(id, b.subarray(skip));
}

const text = (id: number, s: string) => element(id, Buffer.from(s, 'utf8'));

/** Matroska element ids used here. */
const ID = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  MuxingApp: 0x4d80,
  WritingApp: 0x5741,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackUID: 0x73c5,
  TrackType: 0x83,
  FlagLacing: 0x9c,
  CodecID: 0x86,
  CodecPrivate: 0x63a2,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Cluster: 0x1f43b675,
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
} as const;

/** The stream header for PNG (or JPEG) frames of `width`×`height` pixels. */
export function mkvHeader(width: number, height: number, image: FrameImageFormat = 'png'): Buffer {
  const ebml = element(
    ID.EBML,
    Buffer.concat([
      uintElement(0x4286, 1),
      uintElement(0x42f7, 1),
      uintElement(0x42f2, 4),
      uintElement(0x42f3, 8),
      text(0x4282, 'matroska'),
      uintElement(0x4287, 4),
      uintElement(0x4285, 2),
    ]),
  );
  const info = element(
    ID.Info,
    Buffer.concat([uintElement(ID.TimecodeScale, 1_000_000), text(ID.MuxingApp, 'framesmith'), text(ID.WritingApp, 'framesmith')]),
  );
  // BITMAPINFOHEADER with the "MPNG" FourCC: how ffmpeg maps PNG into Matroska.
  const bih = Buffer.alloc(40);
  bih.writeUInt32LE(40, 0);
  bih.writeInt32LE(width, 4);
  bih.writeInt32LE(height, 8);
  bih.writeUInt16LE(1, 12);
  bih.writeUInt16LE(24, 14);
  bih.write('MPNG', 16, 'latin1');
  const codec = image === 'jpeg' ? [text(ID.CodecID, 'V_MJPEG')] : [text(ID.CodecID, 'V_MS/VFW/FOURCC'), element(ID.CodecPrivate, bih)];
  const track = element(
    ID.TrackEntry,
    Buffer.concat([
      uintElement(ID.TrackNumber, 1),
      uintElement(ID.TrackUID, 1),
      uintElement(ID.TrackType, 1),
      uintElement(ID.FlagLacing, 0),
      ...codec,
      element(ID.Video, Buffer.concat([uintElement(ID.PixelWidth, width), uintElement(ID.PixelHeight, height)])),
    ]),
  );
  const unknownSize = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  return Buffer.concat([ebml, idBytes(ID.Segment), unknownSize, info, element(ID.Tracks, track)]);
}

/** One frame shown from `ms` milliseconds on, as its own cluster. */
export function mkvFrame(ms: number, image: Buffer): Buffer[] {
  // SimpleBlock: track 1, relative time 0, keyframe flag; then the image bytes as they are.
  const blockHead = Buffer.from([0x81, 0x00, 0x00, 0x80]);
  const blockSize = sizeVint(blockHead.length + image.length);
  const timecode = uintElement(ID.Timecode, Math.round(ms));
  const body = [timecode, idBytes(ID.SimpleBlock), blockSize, blockHead, image];
  const bodyLength = body.reduce((n, b) => n + b.length, 0);
  return [idBytes(ID.Cluster), sizeVint(bodyLength), ...body];
}

/** Timestamp of frame `index` (counted from the first frame of the video) at `fps`. */
export function frameMs(index: number, fps: number): number {
  return Math.round((index * 1000) / fps);
}

/** Pixel size of a PNG (IHDR) or baseline/progressive JPEG (first SOF marker), or null. */
export function imageSize(image: Buffer): [number, number] | null {
  if (image.length >= 24 && image.readUInt32BE(0) === 0x89504e47) return [image.readUInt32BE(16), image.readUInt32BE(20)];
  if (image.length < 4 || image[0] !== 0xff || image[1] !== 0xd8) return null;
  for (let i = 2; i + 9 < image.length;) {
    if (image[i] !== 0xff) return null;
    const marker = image[i + 1];
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return [image.readUInt16BE(i + 7), image.readUInt16BE(i + 5)];
    i += 2 + image.readUInt16BE(i + 2);
  }
  return null;
}
