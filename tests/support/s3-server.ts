import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";

export interface TestS3Server {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  stop(): Promise<void>;
}

/**
 * A real S3-protocol server for tests: s3rver, in-process, on a free loopback port, storing in its
 * own temporary folder. No MinIO can be installed here (docs/architecture.md, "Environment notes").
 *
 * s3rver 3.7 differs from real S3 in three ways that these tests touch, filled in here:
 * - it has no AbortMultipartUpload (DELETE ?uploadId=), and
 * - no NoSuchUpload for an unknown or finished upload id (it would accept parts for it, or fail
 *   completion with a 500): `answerLikeS3` answers both in front of it;
 * - listing with a delimiter misses a common prefix that holds only deeper folders (`a/` when the
 *   only key is `a/b/c`): `groupByDelimiter` redoes that grouping.
 */
export async function startS3Server(): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "tally-s3rver-"));
  const s3rver = new S3rver({ directory, silent: true });
  groupByDelimiter(s3rver);
  const handle = s3rver.callback();
  const server = createServer((request, response) => {
    answerLikeS3(request, response, directory).then(
      (answered) => {
        if (!answered) handle(request, response);
      },
      (error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    // s3rver's fixed credentials
    accessKey: "S3RVER",
    secretKey: "S3RVER",
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function answerLikeS3(request: IncomingMessage, response: ServerResponse, directory: string): Promise<boolean> {
  const url = new URL(request.url ?? "/", "http://s3");
  const uploadId = url.searchParams.get("uploadId");
  if (uploadId === null) return false;
  const bucket = url.pathname.split("/")[1] ?? "";
  // Where s3rver's filesystem store keeps the parts of an upload.
  const folder = path.join(directory, bucket, "._S3rver_uploads", uploadId);
  const known = /^[0-9a-f]+$/.test(uploadId) && (await stat(folder).then(() => true, () => false));
  if (known && request.method !== "DELETE") return false;
  if (known) await rm(folder, { recursive: true, force: true });
  // Read the request to its end before answering, so the client is not cut off mid-upload.
  request.resume();
  await new Promise((resolve) => request.on("end", resolve));
  if (known) {
    response.statusCode = 204;
    response.end();
  } else {
    response.statusCode = 404;
    response.setHeader("Content-Type", "application/xml");
    response.end(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code>' +
        "<Message>The specified upload does not exist.</Message></Error>",
    );
  }
  return true;
}

interface ListedObject {
  key: string;
}
interface ListOptions {
  delimiter?: string;
  prefix?: string;
  maxKeys?: number;
}
interface ListResult {
  objects: ListedObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
}
type ListObjects = (bucket: string, options: ListOptions) => Promise<ListResult>;

/** Lists without the delimiter through s3rver's own store, then groups as S3 does (test listings are small: no paging). */
function groupByDelimiter(s3rver: S3rver): void {
  const store = (s3rver as unknown as { store: { listObjects: ListObjects } }).store;
  const listAll = store.listObjects.bind(store);
  store.listObjects = async (bucket, options) => {
    const { delimiter, prefix = "" } = options;
    if (!delimiter) return listAll(bucket, options);
    const all = await listAll(bucket, { ...options, delimiter: "", maxKeys: Infinity });
    const objects: ListedObject[] = [];
    const commonPrefixes = new Set<string>();
    for (const object of all.objects) {
      const cut = object.key.indexOf(delimiter, prefix.length);
      if (cut === -1) objects.push(object);
      else commonPrefixes.add(object.key.slice(0, cut + delimiter.length));
    }
    return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated: false };
  };
}
