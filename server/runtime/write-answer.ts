import type { ServerResponse } from "node:http";
import type { PlainAnswer } from "../http/api-call";

/**
 * Writes a route handler's Response to the node response the way Next.js does (its sendResponse and
 * pipeToNodeResponse), so that the lean API path answers byte for byte what Next would: headers the
 * server set before the handler ran (security headers, Vary) win over the handler's own, except the
 * few that may repeat; the framing headers are Node's to decide, so every body goes out chunked; each
 * chunk is flushed through the compression middleware as it is written; HEAD gets no body.
 */

const REPEATABLE = new Set(["set-cookie", "www-authenticate", "proxy-authenticate", "vary"]);
/** The body may have been decoded on its way (a proxied fetch), so its framing headers would lie. */
const FRAMING = new Set(["content-length", "content-encoding", "transfer-encoding"]);

export async function writeAnswer(method: string, response: ServerResponse, answer: Response): Promise<void> {
  response.statusCode = answer.status;
  response.statusMessage = answer.statusText;
  // Headers yields each Set-Cookie on its own.
  answer.headers.forEach((value, name) => setAnswerHeader(response, name, value));
  if (!answer.body || method === "HEAD") {
    response.end();
    await answer.body?.cancel();
    return;
  }
  await pipeBody(answer.body, response);
}

/**
 * A plain answer (server/http/api-call.ts), written as `writeAnswer` writes the Response made of it:
 * headers in the order `Headers` yields them (sorted by name), the body as one chunk.
 */
export function writePlainAnswer(method: string, response: ServerResponse, answer: PlainAnswer): void {
  response.statusCode = answer.status;
  for (const name of Object.keys(answer.headers).sort()) setAnswerHeader(response, name, answer.headers[name]!);
  if (method === "HEAD" || response.destroyed) {
    response.end();
    return;
  }
  startBody(response);
  writeChunk(response, answer.body);
  response.end();
}

/**
 * Head, first chunk and (for a body of one chunk, nearly every API answer) the end go out in one
 * write: the same bytes as Next sends, in one system call instead of three.
 */
function startBody(response: ServerResponse): void {
  response.cork();
  process.nextTick(() => response.uncork());
  response.flushHeaders();
}

/** False when the chunk waits in memory: wait for "drain" before the next. */
function writeChunk(response: ServerResponse, chunk: Uint8Array | string): boolean {
  const written = response.write(chunk);
  // Added by the compression middleware: sends what it compressed so far.
  (response as { flush?: () => void }).flush?.();
  return written;
}

function setAnswerHeader(response: ServerResponse, name: string, value: string): void {
  if (FRAMING.has(name) || name === "x-middleware-set-cookie") return;
  if (REPEATABLE.has(name) || response.getHeader(name) === undefined) response.appendHeader(name, value);
}

async function pipeBody(body: ReadableStream<Uint8Array>, response: ServerResponse): Promise<void> {
  if (response.destroyed) return body.cancel();
  const reader = body.getReader();
  let drained: (() => void) | undefined;
  // One listener for the whole answer: the compression middleware forwards `on("drain")` to its zlib
  // stream but not its removal, so adding and removing one per write would leak them.
  response.on("drain", () => drained?.());
  const gone = () => {
    drained?.();
    if (!response.writableFinished) void reader.cancel().catch(() => undefined);
  };
  response.once("close", gone);
  let started = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || response.destroyed) break;
      if (!started) {
        started = true;
        startBody(response);
      }
      if (!writeChunk(response, value)) await new Promise<void>((resolve) => (drained = resolve));
    }
  } catch (error) {
    response.destroy(error instanceof Error ? error : undefined);
    throw error;
  } finally {
    response.off("close", gone);
  }
  if (!response.destroyed && !response.writableEnded) response.end();
}
