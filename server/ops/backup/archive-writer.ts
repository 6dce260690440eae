import { once } from "node:events";
import tar from "tar-stream";

export interface ArchiveEntry {
  /** A relative "/"-separated path. */
  path: string;
  size: number;
  /** Exactly `size` bytes. */
  body: Buffer | AsyncIterable<Uint8Array>;
  mtime?: Date;
}

/**
 * The entries as a tar byte stream (tar-stream's pack: ustar, pax headers for long or non-ASCII
 * names). Entries are written one at a time as the stream is read, so a body is never held whole.
 * A failure (of the entries or of a body) destroys the stream with that error.
 */
export function packArchive(entries: AsyncIterable<ArchiveEntry> | Iterable<ArchiveEntry>): AsyncIterable<Buffer> {
  const pack = tar.pack();
  void (async () => {
    for await (const entry of entries) await addEntry(pack, entry);
    pack.finalize();
  })().catch((error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))));
  // Only its iterator: the pack is a streamx stream, which Node's stream helpers do not fully understand.
  return { [Symbol.asyncIterator]: () => pack[Symbol.asyncIterator]() as AsyncIterator<Buffer> };
}

async function addEntry(pack: tar.Pack, entry: ArchiveEntry): Promise<void> {
  const header = { name: entry.path, size: entry.size, mtime: entry.mtime ?? new Date(), type: "file" as const };
  // Settles once the entry is written whole, or when the pack is destroyed under it.
  let settle!: (error?: Error | null) => void;
  const written = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
  written.catch(() => undefined);
  const sink = Buffer.isBuffer(entry.body) ? pack.entry(header, entry.body, settle) : pack.entry(header, settle);
  // A failure reaches `written` through the callback; streamx would also throw it as an unhandled 'error' event.
  sink.on("error", () => undefined);
  if (!Buffer.isBuffer(entry.body)) {
    let bytes = 0;
    for await (const chunk of entry.body) {
      bytes += chunk.length;
      // Checked before the bytes go out: a tar entry longer than its header says corrupts what follows.
      if (bytes > entry.size) break;
      if (!sink.write(chunk)) await Promise.race([once(sink, "drain"), written]);
    }
    if (bytes !== entry.size) {
      const error = new Error(`${entry.path} changed while it was archived: expected ${entry.size} bytes, read ${bytes}${bytes > entry.size ? " or more" : ""}`);
      sink.destroy(error);
      throw error;
    }
    // streamx's typings make end's argument required; it is optional.
    sink.end(undefined);
  }
  await written;
}
