import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import { deflateRawSync, gzip } from "node:zlib";
import type { TarChunk } from "./tar";

const gzipAsync = promisify(gzip);

/** Bytes per gzip member: large enough that a member's own overhead (18 bytes, a fresh dictionary) is noise. */
const MEMBER_BYTES = 4 * 1024 * 1024;
/** Table data is text that compresses several times over; zlib's default level. */
const TEXT_LEVEL = 6;
const STORED = 0;

/**
 * Compresses the tar stream as a series of gzip members: RFC 1952 allows any number back to back,
 * and gzip, `tar -z` and Node's gunzip read them as one stream. Members are compressed on their own,
 * so several are compressed at once on libuv's thread pool; and the bytes of entries marked not
 * compressible (most artifacts: weights, images, archives) are stored as they are, where a deflate
 * pass would cost most of the backup's time to save nothing. Output order is input order.
 */
export async function* gzipMembers(chunks: AsyncIterable<TarChunk>): AsyncGenerator<Buffer> {
  // libuv's pool has 4 threads unless UV_THREADPOOL_SIZE says otherwise; file reads need some too.
  const inFlight = Math.max(1, Math.min(3, availableParallelism() - 1));
  const pending: Promise<Buffer>[] = [];
  let batch: Buffer[] = [];
  let size = 0;
  let compressible = true;

  const seal = () => {
    if (size === 0) return;
    const member = gzipAsync(Buffer.concat(batch, size), { level: compressible ? TEXT_LEVEL : STORED });
    // Awaited in order below; until then a failure must not count as unhandled.
    member.catch(() => undefined);
    pending.push(member);
    batch = [];
    size = 0;
  };

  for await (const chunk of chunks) {
    // Headers and padding (no `compressible`) ride along with whatever member is open.
    if (chunk.compressible !== undefined && chunk.compressible !== compressible) {
      seal();
      compressible = chunk.compressible;
    }
    batch.push(chunk.bytes);
    size += chunk.bytes.length;
    if (size >= MEMBER_BYTES) seal();
    while (pending.length > inFlight) yield await pending.shift()!;
  }
  seal();
  while (pending.length) yield await pending.shift()!;
}

/** How many bytes of a file `looksCompressible` samples. */
export const SAMPLE_BYTES = 4096;

/**
 * A cheap guess at whether a file compresses: whether a fast deflate of a few KiB (taken from its
 * middle, past any header) saves a tenth. Random-looking bytes (weights, already compressed formats)
 * do not; text, CSV and JSON save far more.
 */
export function looksCompressible(sample: Buffer): boolean {
  if (sample.length < 512) return true;
  return deflateRawSync(sample, { level: 1 }).length < sample.length * 0.9;
}
