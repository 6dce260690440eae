import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { VettedTarget } from "./target-guard";

export const DELIVERY_TIMEOUT_MS = 10_000;
/** How much of an answer is read (and then dropped): receivers should answer small. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface SendResult {
  /** null when no HTTP answer came (network error, timeout). */
  responseCode: number | null;
  durationMs: number;
  error: string | null;
}

/** A DNS lookup that answers only the vetted addresses, so the connection goes where the guard looked. */
function pinnedLookup(addresses: VettedTarget["addresses"]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = typeof options === "object" && options.family ? options.family : 0;
    const matching = addresses.filter((entry) => !family || entry.family === family);
    const candidates = matching.length ? matching : addresses;
    if (typeof options === "object" && options.all) {
      (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, candidates);
    } else {
      callback(null, candidates[0]!.address, candidates[0]!.family);
    }
  };
}

/** POSTs `body` to the vetted target; never throws, never follows redirects; gives up after 10 s. */
export function postJson(target: VettedTarget, headers: Record<string, string>, body: string): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const client = target.url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const request = client.request(
      target.url,
      {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": "Tally-Webhooks/1" },
        lookup: pinnedLookup(target.addresses),
        agent: false,
      },
      (response) => {
        let read = 0;
        response.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        const code = response.statusCode ?? 0;
        const answered = () =>
          finish({
            responseCode: code,
            error: code >= 200 && code < 300 ? null : code >= 300 && code < 400 ? `Answered ${code}: redirects are not followed` : `Answered ${code}`,
          });
        response.on("end", answered);
        response.on("close", answered);
      },
    );
    const timer = setTimeout(() => {
      finish({ responseCode: null, error: `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s` });
      request.destroy();
    }, DELIVERY_TIMEOUT_MS);
    request.on("error", (error: NodeJS.ErrnoException) => finish({ responseCode: null, error: `${error.code ?? "Error"}: ${error.message}` }));
    request.end(body);
  });
}
