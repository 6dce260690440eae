import type { ByteRange } from "@/server/storage";

/**
 * One HTTP byte range ("bytes=0-99", "bytes=100-", "bytes=-500") as an offset and length. A suffix
 * range needs the object's size. Multi-range and malformed headers yield null: the whole object is
 * served, as RFC 9110 allows.
 */
export function parseRange(header: string | null, size: () => Promise<number>): Promise<ByteRange | null> | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return null;
  const [, first, last] = match;
  if (first === "") {
    return size().then((total) => {
      const length = Math.min(Number(last), total);
      return length === 0 ? null : { offset: total - length, length };
    });
  }
  const offset = Number(first);
  if (last === "") return Promise.resolve({ offset });
  if (Number(last) < offset) return null;
  return Promise.resolve({ offset, length: Number(last) - offset + 1 });
}
