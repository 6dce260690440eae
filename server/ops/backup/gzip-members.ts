import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import { deflateRawSync, gzip } from "node:zlib";

const gzipAsync = promisify(gzip);

/** Bytes per gzip member: large enough that a member's own overhead (18 bytes, a fresh dictionary) is noise. */
const MEMBER_BYTES = 4 * 1024 * 1024;
/** zlib's default level; table data is text that compresses several times over at it. */
const COMPRESSED = 6;
const STORED = 0;
const SAMPLE_BYTES = 16 * 1024;
const SAMPLES = 8;

/**
 * Gzip of any byte stream, written as a series of gzip members of about MEMBER_BYTES each: RFC 1952
 * allows any number back to back, and gzip, `tar -z` and Node's gunzip read them as one stream.
 * Each member is compressed on its own, so several are compressed at once on libuv's thread pool;
 * output order is input order. A member whose bytes look random (model weights, images, archives)
 * is stored rather than deflated, where deflate would cost most of a backup's time to save nothing.
 */
export async function* gzipMembers(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  // libuv's pool has 4 threads unless UV_THREADPOOL_SIZE says otherwise; file reads need some too.
  const inFlight = Math.max(1, Math.min(3, availableParallelism() - 1));
  const pending: Promise<Buffer>[] = [];
  let batch: Uint8Array[] = [];
  let size = 0;

  const seal = () => {
    if (size === 0) return;
    const bytes = Buffer.concat(batch, size);
    const member = gzipAsync(bytes, { level: looksCompressible(bytes) ? COMPRESSED : STORED });
    // Awaited in order below; until then a failure must not count as unhandled.
    member.catch(() => undefined);
    pending.push(member);
    batch = [];
    size = 0;
  };

  for await (const chunk of source) {
    batch.push(chunk);
    size += chunk.length;
    if (size >= MEMBER_BYTES) seal();
    while (pending.length > inFlight) yield await pending.shift()!;
  }
  seal();
  while (pending.length) yield await pending.shift()!;
}

/**
 * A cheap guess at whether a block of bytes compresses: whether a fast deflate of samples spread
 * over it saves a tenth overall. Random-looking bytes (weights, already compressed formats) do not;
 * text, CSV and JSON save far more. Samples are large enough that a tar header and its padding
 * (under 1 KiB) in one do not make random bytes look compressible.
 */
export function looksCompressible(bytes: Buffer): boolean {
  if (bytes.length < SAMPLES * SAMPLE_BYTES) return true;
  const step = (bytes.length - SAMPLE_BYTES) / (SAMPLES - 1);
  let deflated = 0;
  for (let index = 0; index < SAMPLES; index++) {
    const at = Math.floor(index * step);
    deflated += deflateRawSync(bytes.subarray(at, at + SAMPLE_BYTES), { level: 1 }).length;
  }
  return deflated < SAMPLES * SAMPLE_BYTES * 0.9;
}
