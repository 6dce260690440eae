import { crc32, deflateSync } from "node:zlib";

/** Encodes an RGB image (row-major, 3 bytes per pixel) as a PNG file. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (rgb.length !== width * height * 3) throw new Error("pixel buffer does not match the image size");
  const rows = Buffer.alloc(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) {
    // Filter byte 0 (none) starts every scanline.
    rows[y * (width * 3 + 1)] = 0;
    rows.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit depth, truecolour, default compression/filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A confusion matrix drawn as a heat map: white (0) to deep blue (the largest cell), with grid lines. */
export function confusionMatrixPng(matrix: number[][], cellSize = 24): Buffer {
  const classes = matrix.length;
  const size = classes * cellSize;
  const pixels = new Uint8Array(size * size * 3);
  const largest = Math.max(...matrix.flat(), 1);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const row = Math.floor(y / cellSize);
      const column = Math.floor(x / cellSize);
      const grid = x % cellSize === 0 || y % cellSize === 0;
      const share = Math.sqrt(matrix[row]![column]! / largest);
      const offset = (y * size + x) * 3;
      if (grid) pixels.set([209, 213, 219], offset);
      else pixels.set([Math.round(255 - 225 * share), Math.round(255 - 180 * share), Math.round(255 - 60 * share)], offset);
    }
  }
  return encodePng(size, size, pixels);
}
