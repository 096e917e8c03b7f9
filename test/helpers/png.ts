/** Reads pixels of PNG stills in tests (pngjs). */
import { PNG as PngJs } from 'pngjs';

export type RGB = [number, number, number];

export class PNG {
  private constructor(
    readonly width: number,
    readonly height: number,
    private readonly data: Buffer,
  ) {}

  static decode(buffer: Buffer): PNG {
    const png = PngJs.sync.read(buffer);
    return new PNG(png.width, png.height, png.data);
  }

  pixel(x: number, y: number): RGB {
    const i = (y * this.width + x) * 4;
    return [this.data[i], this.data[i + 1], this.data[i + 2]];
  }

  alpha(x: number, y: number): number {
    return this.data[(y * this.width + x) * 4 + 3];
  }

  /** Number of pixels matching `pred`. */
  count(pred: (rgb: RGB) => boolean): number {
    let n = 0;
    for (let i = 0; i < this.data.length; i += 4) if (pred([this.data[i], this.data[i + 1], this.data[i + 2]])) n++;
    return n;
  }

  /** Number of distinct colours (a blank frame has 1). */
  distinctColors(limit = 1000): number {
    const seen = new Set<number>();
    for (let i = 0; i < this.data.length && seen.size < limit; i += 4)
      seen.add((this.data[i] << 16) | (this.data[i + 1] << 8) | this.data[i + 2]);
    return seen.size;
  }
}
