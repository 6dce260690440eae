import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { ArchiveError } from "./archive-error";

export interface ArchiveEntryRead {
  path: string;
  size: number;
  /** The entry's bytes; `take` reads it to the end before it returns. */
  body: AsyncIterable<Buffer>;
}

/**
 * Reads a .tar.gz once, as a stream (tar-stream's extract over gunzip), handing each entry to
 * `take` in order. Anything but a regular file, a gzip or tar stream that is damaged or cut short,
 * or data after the end-of-archive marker is an ArchiveError; an error of `take` passes through.
 */
export async function readArchive(file: string, take: (entry: ArchiveEntryRead) => Promise<void>): Promise<void> {
  const extract = tar.extract();
  // Large output chunks: the default 16 KiB would cost a write call per 16 KiB of artifact.
  const reading = pipeline(createReadStream(file), createGunzip({ chunkSize: 1024 * 1024 }), extract);
  reading.catch(() => undefined);
  try {
    for await (const entry of extract) {
      const { name, size, type } = entry.header;
      if (type !== "file") throw new ArchiveError(`an entry of type "${type}" (${name}, not a regular file) is not part of a Tally backup`);
      // Only its iterator: tar-stream's entry is a streamx stream, which Node's stream helpers do not fully understand.
      await take({ path: name, size: size ?? 0, body: { [Symbol.asyncIterator]: () => entry[Symbol.asyncIterator]() as AsyncIterator<Buffer> } });
    }
    await reading;
  } catch (error) {
    // Leaving the loop early destroys the extract, so the pipeline then fails with a premature close;
    // when it failed first (bad gzip or tar data), that failure is the reason `take` saw an error.
    const streamFailure = await reading.then(() => null, (failure: unknown) => failure);
    const code = (streamFailure as NodeJS.ErrnoException | null)?.code;
    if (streamFailure && code !== "ERR_STREAM_PREMATURE_CLOSE") throw asArchiveError(streamFailure);
    throw error;
  }
}

/** zlib's errors carry a Z_ code, tar-stream's none; file system errors (with an E… code) pass through. */
function asArchiveError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof ArchiveError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code?.startsWith("Z_")) return new ArchiveError(`it is not a gzip-compressed Tally backup, or it is damaged or cut short (${error.message})`);
  if (code === undefined) return new ArchiveError(`it is not a valid tar archive, or it is damaged or cut short (${error.message})`);
  return error;
}
