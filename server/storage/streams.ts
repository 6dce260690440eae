import { badInput } from "@/lib/errors";
import type { ObjectBody } from "./object-store";

/** Any accepted body as one async sequence of byte chunks (a Uint8Array is a single chunk, not a sequence of bytes). */
export function chunksOf(body: ObjectBody): AsyncIterable<Uint8Array> {
  if (body instanceof Uint8Array) {
    return (async function* () {
      yield body;
    })();
  }
  return body;
}

/**
 * Counts the bytes that flow through `pass`. It fails as soon as more than `limit.bytes` arrive (with
 * `limit.error()`) or more than `expected`, and at the end when fewer than `expected` did: a
 * truncated upload must never be stored as if it were whole.
 */
export function byteMeter(options: { expected?: number; limit?: { bytes: number; error: () => Error } }) {
  const { expected, limit } = options;
  let bytes = 0;
  async function* pass(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      bytes += chunk.byteLength;
      if (limit !== undefined && bytes > limit.bytes) throw limit.error();
      if (expected !== undefined && bytes > expected) {
        throw badInput(`The upload is longer than its declared size of ${expected} bytes`);
      }
      yield chunk;
    }
    if (expected !== undefined && bytes !== expected) {
      throw badInput(`The upload ended after ${bytes} of its declared ${expected} bytes`);
    }
  }
  return { pass, bytes: () => bytes };
}

/**
 * Re-cuts a byte sequence into Buffers of exactly `sizeOf(index)` bytes (the last may be shorter;
 * none is empty). Holds about one block in memory, two at a boundary.
 */
export async function* blocks(source: AsyncIterable<Uint8Array>, sizeOf: (index: number) => number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  for await (const chunk of source) {
    pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    pendingBytes += chunk.byteLength;
    while (pendingBytes >= sizeOf(index)) {
      const size = sizeOf(index++);
      const joined = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      yield joined.subarray(0, size);
      pending = pendingBytes > size ? [joined.subarray(size)] : [];
      pendingBytes -= size;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}
