import { Readable } from "node:stream";
import type { ByteRange, ObjectRead } from "@/server/storage";

/**
 * Responses that carry an artifact's bytes, for both download edges (MLflow's proxied artifact API
 * and the web app's run artifact route): the byte range, the sandbox, and how the browser may show
 * the file are decided here and nowhere else.
 */

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

/**
 * Whether a range cannot be served from an object of `size` bytes (416): it starts at or past the
 * end, except "from 0" of an empty object, which is the whole (empty) object.
 */
export function rangeStartsPastEnd(range: ByteRange, size: number): boolean {
  return range.offset >= size && !(range.offset === 0 && size === 0);
}

/** The headers of a 416 answer: the object's size, as RFC 9110 asks. */
export function unsatisfiableRangeHeaders(size: number): Record<string, string> {
  return { "content-range": `bytes */${size}` };
}

/**
 * `{ attachment }` downloads the file under that name, with its stored type. "inline" previews it in
 * the browser: raster images keep their type, everything else (HTML, SVG, scripts) is plain text.
 */
export type ArtifactDisposition = "inline" | { attachment: string };

/** Raster images the browser may show inline. */
const INLINE_IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

export interface ArtifactResponseOptions {
  /** The range the request asked for; null or undefined serves the whole object with 200. */
  range: ByteRange | null | undefined;
  disposition: ArtifactDisposition;
  /** The edge's own headers (caching, validators); they cannot replace the ones decided here. */
  headers?: Record<string, string>;
}

/**
 * 200 with the whole object, or 206 with Content-Range for the bytes `object` holds. User files never
 * run as active content on Tally's origin: every answer carries a sandboxing CSP and nosniff.
 */
export function artifactResponse(object: ObjectRead, options: ArtifactResponseOptions): Response {
  const headers = new Headers(options.headers);
  headers.set("content-length", String(object.range.length));
  if (options.disposition === "inline") {
    headers.set("content-type", INLINE_IMAGES.has(object.contentType) ? object.contentType : "text/plain; charset=utf-8");
    headers.set("content-disposition", "inline");
  } else {
    headers.set("content-type", object.contentType);
    headers.set("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(options.disposition.attachment)}`);
  }
  headers.set("x-content-type-options", "nosniff");
  headers.set("content-security-policy", "sandbox; default-src 'none'");
  if (options.range) {
    const end = object.range.offset + object.range.length - 1;
    headers.set("content-range", `bytes ${object.range.offset}-${end}/${object.size}`);
  }
  return new Response(Readable.toWeb(object.body) as ReadableStream, { status: options.range ? 206 : 200, headers });
}
