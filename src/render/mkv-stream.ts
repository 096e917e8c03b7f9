/**
 * A minimal streaming Matroska writer for still images with timestamps, the container the
 * renderer feeds ffmpeg through a pipe. `image2pipe` would need every frame, so a long hold
 * would be decoded and colour-converted hundreds of times; with timestamps only the frames that
 * differ are sent and ffmpeg's `fps` filter repeats them after conversion.
 *
 * Layout: EBML header, a Segment of unknown size (streaming), Info (1 ms timecodes), one video
 * track (PNG as VfW "MPNG", the mapping ffmpeg itself writes), then one Cluster per frame.
 */

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
  EBML: 0x1a45dfa3, Segment: 0x18538067, Info: 0x1549a966, TimecodeScale: 0x2ad7b1, MuxingApp: 0x4d80, WritingApp: 0x5741,
  Tracks: 0x1654ae6b, TrackEntry: 0xae, TrackNumber: 0xd7, TrackUID: 0x73c5, TrackType: 0x83, FlagLacing: 0x9c, CodecID: 0x86,
  CodecPrivate: 0x63a2, Video: 0xe0, PixelWidth: 0xb0, PixelHeight: 0xba, Cluster: 0x1f43b675, Timecode: 0xe7, SimpleBlock: 0xa3,
} as const;

/** The stream header for PNG frames of `width`×`height` pixels. */
export function mkvHeader(width: number, height: number): Buffer {
  const ebml = element(ID.EBML, Buffer.concat([
    uintElement(0x4286, 1), uintElement(0x42f7, 1), uintElement(0x42f2, 4), uintElement(0x42f3, 8),
    text(0x4282, 'matroska'), uintElement(0x4287, 4), uintElement(0x4285, 2),
  ]));
  const info = element(ID.Info, Buffer.concat([uintElement(ID.TimecodeScale, 1_000_000), text(ID.MuxingApp, 'framesmith'), text(ID.WritingApp, 'framesmith')]));
  // BITMAPINFOHEADER with the "MPNG" FourCC: how ffmpeg maps PNG into Matroska.
  const bih = Buffer.alloc(40);
  bih.writeUInt32LE(40, 0);
  bih.writeInt32LE(width, 4);
  bih.writeInt32LE(height, 8);
  bih.writeUInt16LE(1, 12);
  bih.writeUInt16LE(24, 14);
  bih.write('MPNG', 16, 'latin1');
  const track = element(ID.TrackEntry, Buffer.concat([
    uintElement(ID.TrackNumber, 1), uintElement(ID.TrackUID, 1), uintElement(ID.TrackType, 1), uintElement(ID.FlagLacing, 0),
    text(ID.CodecID, 'V_MS/VFW/FOURCC'), element(ID.CodecPrivate, bih),
    element(ID.Video, Buffer.concat([uintElement(ID.PixelWidth, width), uintElement(ID.PixelHeight, height)])),
  ]));
  const unknownSize = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  return Buffer.concat([ebml, idBytes(ID.Segment), unknownSize, info, element(ID.Tracks, track)]);
}

/** One frame shown from `ms` milliseconds on, as its own cluster. */
export function mkvFrame(ms: number, png: Buffer): Buffer[] {
  // SimpleBlock: track 1, relative time 0, keyframe flag; then the image bytes as they are.
  const blockHead = Buffer.from([0x81, 0x00, 0x00, 0x80]);
  const blockSize = sizeVint(blockHead.length + png.length);
  const timecode = uintElement(ID.Timecode, Math.round(ms));
  const body = [timecode, idBytes(ID.SimpleBlock), blockSize, blockHead, png];
  const bodyLength = body.reduce((n, b) => n + b.length, 0);
  return [idBytes(ID.Cluster), sizeVint(bodyLength), ...body];
}

/** Timestamp of frame `index` (counted from the first frame of the video) at `fps`. */
export function frameMs(index: number, fps: number): number {
  return Math.round((index * 1000) / fps);
}
