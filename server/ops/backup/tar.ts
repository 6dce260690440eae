import { ArchiveError } from "./archive-error";

/**
 * The POSIX tar format (ustar, with pax extended headers for long names and large sizes), streamed
 * both ways: entries are written and read one block at a time, so no entry is ever held whole in
 * memory. The writer's output and the reader's input are plain byte streams (gzip goes around them);
 * GNU and BSD tar read what the writer produces.
 */

const BLOCK = 512;
const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);
/** The largest size the 11 octal digits of a ustar header can hold (8 GiB - 1). */
const MAX_USTAR_SIZE = 0o77777777777;

export interface TarEntryInput {
  /** A relative "/"-separated path. */
  path: string;
  size: number;
  /** Exactly `size` bytes. */
  body: Buffer | AsyncIterable<Uint8Array>;
  mtime?: Date;
  /** False when the body is known not to compress (default true); passed on with its chunks. */
  compressible?: boolean;
}

/** A piece of the tar stream: an entry's bytes (with its `compressible`), or headers and padding (without). */
export interface TarChunk {
  bytes: Buffer;
  compressible?: boolean;
}

export interface TarEntry {
  path: string;
  size: number;
  /** The entry's bytes; read it to the end (or not at all: the reader then skips it) before the next entry. */
  body: AsyncIterable<Buffer>;
}


export async function* writeTar(entries: AsyncIterable<TarEntryInput> | Iterable<TarEntryInput>): AsyncGenerator<TarChunk> {
  for await (const entry of entries) {
    for (const bytes of headerBlocks(entry)) yield { bytes };
    const compressible = entry.compressible ?? true;
    let written = 0;
    for await (const chunk of Buffer.isBuffer(entry.body) ? [entry.body] : entry.body) {
      written += chunk.length;
      if (written > entry.size) break;
      yield { bytes: Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), compressible };
    }
    if (written !== entry.size) {
      throw new Error(`${entry.path} changed while it was archived: expected ${entry.size} bytes, read ${written}`);
    }
    const padding = (BLOCK - (entry.size % BLOCK)) % BLOCK;
    if (padding) yield { bytes: Buffer.alloc(padding) };
  }
  yield { bytes: END_OF_ARCHIVE };
}

function* headerBlocks(entry: TarEntryInput): Generator<Buffer> {
  const mtime = Math.floor((entry.mtime?.getTime() ?? Date.now()) / 1000);
  const nameFits = Buffer.byteLength(entry.path) <= 100 && /^[\x20-\x7e]*$/.test(entry.path);
  const sizeFits = entry.size <= MAX_USTAR_SIZE;
  if (!nameFits || !sizeFits) {
    const records = Buffer.from(
      [...(nameFits ? [] : [paxRecord("path", entry.path)]), ...(sizeFits ? [] : [paxRecord("size", String(entry.size))])].join(""),
    );
    yield ustarHeader({ name: "././@PaxHeader", size: records.length, mtime, type: "x" });
    yield records;
    const padding = (BLOCK - (records.length % BLOCK)) % BLOCK;
    if (padding) yield Buffer.alloc(padding);
  }
  yield ustarHeader({
    name: nameFits ? entry.path : entry.path.replace(/[^\x20-\x7e]/g, "_").slice(-100),
    size: sizeFits ? entry.size : 0,
    mtime,
    type: "0",
  });
}

/** "<length> <key>=<value>\n", where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = Buffer.byteLength(body);
  let length = bodyBytes + 1;
  while (String(length).length + bodyBytes !== length) length = String(length).length + bodyBytes;
  return `${length}${body}`;
}

function ustarHeader(fields: { name: string; size: number; mtime: number; type: "0" | "x" }): Buffer {
  const header = Buffer.alloc(BLOCK);
  header.write(fields.name, 0, 100, "latin1");
  header.write(octal(0o644, 8), 100, "ascii");
  header.write(octal(0, 8), 108, "ascii");
  header.write(octal(0, 8), 116, "ascii");
  header.write(octal(fields.size, 12), 124, "ascii");
  header.write(octal(fields.mtime, 12), 136, "ascii");
  header.write(fields.type, 156, "ascii");
  header.write("ustar\u000000", 257, "latin1");
  header.write(octal(checksum(header), 8), 148, "ascii");
  return header;
}

/** Zero-padded octal digits and a NUL, filling a field of `width` bytes. */
const octal = (value: number, width: number) => `${value.toString(8).padStart(width - 1, "0")}\u0000`;

/** The sum of the header's bytes, its checksum field counted as eight spaces. */
function checksum(header: Buffer): number {
  let sum = 8 * 0x20;
  for (let index = 0; index < BLOCK; index++) if (index < 148 || index >= 156) sum += header[index]!;
  return sum;
}

/** The entries of a tar stream (regular files only: anything else is a ArchiveError). */
export async function* readTar(source: AsyncIterable<Uint8Array>): AsyncGenerator<TarEntry> {
  const input = new ByteReader(source);
  try {
    yield* entriesOf(input);
  } finally {
    // A reader that stops early (or fails) releases the source, e.g. closes the file under it.
    await input.close();
  }
}

async function* entriesOf(input: ByteReader): AsyncGenerator<TarEntry> {
  let pax: Record<string, string> = {};
  for (;;) {
    const header = await input.read(BLOCK);
    if (header === null) throw new ArchiveError("the archive ends without its end-of-archive marker (it was cut short)");
    if (header.every((byte) => byte === 0)) {
      // Writers pad the end with zero blocks; read them all, so a compressed stream is checked to its end.
      for (let rest = await input.chunk(BLOCK); rest !== null; rest = await input.chunk(BLOCK)) {
        if (!rest.every((byte) => byte === 0)) throw new ArchiveError("it holds data after its end-of-archive marker");
      }
      return;
    }
    if (parseOctal(header, 148, 8) !== checksum(header)) throw new ArchiveError("a header is damaged (checksum mismatch)");
    const type = String.fromCharCode(header[156]!);
    let size = parseOctal(header, 124, 12);
    if (type === "x" || type === "g") {
      const records = await input.read(padded(size));
      if (records === null) throw new ArchiveError("the archive was cut short inside an extended header");
      if (type === "x") pax = parsePax(records.subarray(0, size));
      continue;
    }
    if (type !== "0" && type !== "\u0000") {
      throw new ArchiveError(`an entry of type "${type}" (not a regular file) is not part of a Tally backup`);
    }
    const prefix = field(header, 345, 155);
    const path = pax.path ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    if (pax.size !== undefined) {
      size = Number(pax.size);
      if (!Number.isSafeInteger(size) || size < 0) throw new ArchiveError("an extended header names an impossible size");
    }
    pax = {};
    // What the reader left of this entry is skipped before the next header, however far it read.
    let remaining = size;
    const body = (async function* () {
      while (remaining > 0) {
        const chunk = await input.chunk(remaining);
        if (chunk === null) throw new ArchiveError("the archive was cut short inside an entry");
        remaining -= chunk.length;
        yield chunk;
      }
    })();
    yield { path, size, body };
    await input.skip(remaining + padded(size) - size);
  }
}

const padded = (size: number) => Math.ceil(size / BLOCK) * BLOCK;

function field(header: Buffer, offset: number, width: number): string {
  const raw = header.subarray(offset, offset + width);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? width : end).toString("utf8");
}

function parseOctal(header: Buffer, offset: number, width: number): number {
  const text = field(header, offset, width).trim();
  if (!/^[0-7]*$/.test(text)) throw new ArchiveError("a header is damaged (a number field is not octal)");
  return text ? parseInt(text, 8) : 0;
}

function parsePax(records: Buffer): Record<string, string> {
  const values: Record<string, string> = {};
  let offset = 0;
  while (offset < records.length) {
    const space = records.indexOf(0x20, offset);
    const length = Number(records.subarray(offset, space).toString("ascii"));
    if (space === -1 || !Number.isInteger(length) || length <= 0 || offset + length > records.length) {
      throw new ArchiveError("an extended header is damaged");
    }
    const record = records.subarray(space + 1, offset + length - 1).toString("utf8");
    const equals = record.indexOf("=");
    values[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return values;
}

/** Exact-length reads over a stream of chunks of any size. */
class ByteReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pending: Buffer = Buffer.alloc(0);

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Exactly `length` bytes, or null when the stream ends first. */
  async read(length: number): Promise<Buffer | null> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < length) {
      const chunk = await this.chunk(length - have);
      if (chunk === null) return null;
      parts.push(chunk);
      have += chunk.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
  }

  async skip(length: number): Promise<void> {
    for (let left = length; left > 0; ) {
      const chunk = await this.chunk(left);
      if (chunk === null) throw new ArchiveError("the archive was cut short inside an entry");
      left -= chunk.length;
    }
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }

  /** Up to `most` bytes (at least one), or null at the end of the stream. */
  async chunk(most: number): Promise<Buffer | null> {
    if (this.pending.length === 0) {
      const result = await this.iterator.next();
      if (result.done) return null;
      const value = result.value;
      this.pending = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      if (this.pending.length === 0) return this.chunk(most);
    }
    const chunk = this.pending.subarray(0, most);
    this.pending = this.pending.subarray(chunk.length);
    return chunk;
  }
}
