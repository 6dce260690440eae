import { badInput, payloadTooLarge } from "@/lib/errors";
import { config } from "../config";

const MIB = 1024 * 1024;

/** The API body limit (TALLY_MAX_BODY_MB) in bytes, times `factor` for routes that carry more. */
export function apiBodyLimitBytes(factor = 1): number {
  return Math.floor(config().TALLY_MAX_BODY_MB * MIB * factor);
}

function tooLarge(limitBytes: number) {
  const limit = limitBytes >= MIB ? `${+(limitBytes / MIB).toFixed(2)} MiB` : `${limitBytes} bytes`;
  return payloadTooLarge(`The request body is larger than this server's limit of ${limit}`);
}

/** Bodies read before their Request was made (`withBodyRead`). */
const bodiesRead = new WeakMap<Request, Buffer>();

/**
 * `request`, made without a body, carrying `body` for `readBytesWithin`. The lean API path reads
 * small bodies itself: a `Request` with a body wraps it in a web stream, whose set-up and reads were
 * about a sixth of the CPU of a small API request (docs/performance.md, "Request bodies").
 */
export function withBodyRead(request: Request, body: Buffer): Request {
  bodiesRead.set(request, body);
  return request;
}

/**
 * The request body's bytes, refused with PAYLOAD_TOO_LARGE past `limitBytes`: at once when the
 * declared Content-Length says so (nothing is read), otherwise as soon as the bytes received exceed
 * it (the rest is not read).
 */
export async function readBytesWithin(request: Request, limitBytes: number): Promise<Buffer> {
  const declared = request.headers.get("content-length");
  const read = bodiesRead.get(request);
  if (read) return bodyReadWithin(declared, read, limitBytes);
  if (Number(declared ?? NaN) > limitBytes) throw tooLarge(limitBytes);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limitBytes) {
      await reader.cancel();
      throw tooLarge(limitBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** A body read whole before its handler ran, refused as `readBytesWithin` refuses one past `limitBytes`. */
export function bodyReadWithin(declaredLength: string | null | undefined, body: Buffer, limitBytes: number): Buffer {
  if (Number(declaredLength ?? NaN) > limitBytes || body.byteLength > limitBytes) throw tooLarge(limitBytes);
  return body;
}

/** The request body as text, within `limitBytes` as `readBytesWithin` reads it. */
export async function readBodyWithin(request: Request, limitBytes: number): Promise<string> {
  return (await readBytesWithin(request, limitBytes)).toString("utf8");
}

/** A JSON request body within the API limit; malformed JSON is BAD_INPUT. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await readBodyWithin(request, apiBodyLimitBytes());
  try {
    return JSON.parse(text || "{}") as unknown;
  } catch {
    throw badInput("The request body is not valid JSON");
  }
}
