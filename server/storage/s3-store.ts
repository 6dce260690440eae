import { IncomingMessage } from "node:http";
import path from "node:path";
import { Client } from "minio";
import { folderKey, objectKey } from "./keys";
import {
  type ByteRange,
  type CompletedPart,
  DEFAULT_CONTENT_TYPE,
  type ListEntry,
  type ObjectBody,
  type ObjectInfo,
  type ObjectRead,
  type ObjectStore,
  type PutOptions,
} from "./object-store";
import {
  MAX_PARTS,
  MAX_PROXIED_PART_BYTES,
  byPath,
  checkArguments,
  checkDeletablePrefix,
  partTooLarge,
  rangeNotSatisfiable,
} from "./rules";
import { fromS3Error, s3Code } from "./s3-errors";
import { blocks, byteMeter, chunksOf } from "./streams";

export interface S3Settings {
  /** Where this server reaches the S3 API, e.g. http://minio:9000. */
  endpoint: string;
  /** What presigned URLs point at, reachable by browsers and SDK clients, e.g. http://localhost:9000. */
  publicEndpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secretKey: string;
  /** `http://host/bucket/key` rather than `http://bucket.host/key`; MinIO and most self-hosted servers need it. */
  pathStyle: boolean;
}

export interface BucketObject {
  key: string;
  size: number;
  etag: string;
}

/**
 * The S3 backend (MinIO, AWS S3, Garage, SeaweedFS...) through the `minio` client. Uploads are cut
 * into parts that are each buffered (S3 needs a part's length and, over plain HTTP, its SHA-256
 * before sending it) and sent as a multipart upload that is aborted on any failure, so memory stays
 * at about two parts whatever the object size, and S3 makes the object visible only when complete.
 */
export class S3ObjectStore implements ObjectStore {
  readonly kind = "s3";
  private readonly client: Client;
  /** Signs URLs for the public endpoint; signing is local, so this client never makes a request. */
  private readonly signer: Client;
  readonly bucket: string;
  private readonly region: string;
  private ready: Promise<void> | undefined;

  constructor(settings: S3Settings) {
    this.client = clientFor(settings.endpoint, settings);
    this.signer = clientFor(settings.publicEndpoint, settings);
    this.bucket = settings.bucket;
    this.region = settings.region;
  }

  prepare(): Promise<void> {
    this.ready ??= this.ensureBucket().catch((error: unknown) => {
      this.ready = undefined; // try again on the next call: the server may just be starting
      throw error;
    });
    return this.ready;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<{ size: number }> {
    const headers = { "Content-Type": checkArguments.put(key, options).contentType };
    await this.prepare();
    const meter = byteMeter({ expected: options.size });
    // The first block is held back: if the body ends within it, one plain PUT is enough.
    let first: Buffer | undefined;
    let uploadId: string | undefined;
    const parts: CompletedPart[] = [];
    const sendNext = async (id: string, payload: Buffer) => {
      const partNumber = parts.length + 1;
      parts.push({ partNumber, etag: await this.sendPart(key, id, partNumber, payload) });
    };
    try {
      for await (const block of blocks(meter.pass(chunksOf(body)), partBytes)) {
        if (uploadId === undefined) {
          if (first === undefined) {
            first = block;
            continue;
          }
          uploadId = await this.client.initiateNewMultipartUpload(this.bucket, key, headers);
          await sendNext(uploadId, first);
          first = undefined;
        }
        await sendNext(uploadId, block);
      }
      if (uploadId === undefined) {
        const only = first ?? Buffer.alloc(0);
        await this.client.putObject(this.bucket, key, only, only.length, headers);
      } else {
        await this.complete(key, uploadId, parts);
      }
      return { size: meter.bytes() };
    } catch (error) {
      if (uploadId !== undefined) await this.discard(key, uploadId);
      throw fromS3Error(error, { key });
    }
  }

  async get(key: string, range?: ByteRange): Promise<ObjectRead> {
    checkArguments.get(key, range);
    await this.prepare();
    let response: unknown;
    try {
      response = range
        ? await this.client.getPartialObject(this.bucket, key, range.offset, range.length)
        : await this.client.getObject(this.bucket, key);
    } catch (error) {
      throw fromS3Error(error, { key, range });
    }
    // minio hands back the HTTP response itself; its headers carry what we report.
    if (!(response instanceof IncomingMessage)) throw new Error("minio returned an unexpected object body");
    const { headers } = response;
    const length = Number(headers["content-length"] ?? 0);
    const ranged = /^bytes (\d+)-\d+\/(\d+)$/.exec(headers["content-range"] ?? "");
    const offset = ranged ? Number(ranged[1]) : 0;
    const size = ranged ? Number(ranged[2]) : length;
    // Some S3-compatible servers answer 206 to a range of an empty object instead of 416.
    if (range && ranged && offset >= size) {
      response.destroy();
      throw rangeNotSatisfiable(range, size);
    }
    return {
      body: response,
      size,
      contentType: headers["content-type"] || DEFAULT_CONTENT_TYPE,
      lastModified: new Date(headers["last-modified"] ?? Date.now()),
      range: { offset, length },
    };
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    objectKey(key);
    await this.prepare();
    try {
      const info = await this.client.statObject(this.bucket, key);
      const contentType = (info.metaData["content-type"] as string | undefined) || DEFAULT_CONTENT_TYPE;
      return { size: info.size, contentType, lastModified: info.lastModified };
    } catch (error) {
      if (s3Code(error) === "NotFound" || s3Code(error) === "NoSuchKey") return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    objectKey(key);
    await this.prepare();
    await this.client.removeObject(this.bucket, key); // S3 deletes are idempotent
  }

  async deletePrefix(prefix: string): Promise<void> {
    checkDeletablePrefix(prefix);
    await this.prepare();
    const batch: string[] = [];
    const flush = async () => {
      const results = await this.client.removeObjects(this.bucket, batch.splice(0));
      const failure = results.find((result) => result?.Error);
      if (failure?.Error) throw new Error(`Could not delete ${failure.Error.Key}: ${failure.Error.Message}`);
    };
    for await (const item of this.client.listObjectsV2(this.bucket, `${prefix}/`, true)) {
      if (item.name) batch.push(item.name);
      if (batch.length === 1000) await flush(); // the most one DeleteObjects request takes
    }
    if (batch.length > 0) await flush();
  }

  async list(prefix: string): Promise<ListEntry[]> {
    const folder = folderKey(prefix) === "" ? "" : `${prefix}/`;
    await this.prepare();
    const entries: ListEntry[] = [];
    let token = "";
    do {
      const page = await this.client.listObjectsV2Query(this.bucket, folder, token, "/", 1000, "");
      for (const item of page.objects) {
        if (item.prefix !== undefined) {
          entries.push({ path: item.prefix.slice(folder.length, -1), isDir: true });
        } else if (item.name !== folder) {
          // (a key equal to the folder itself is a "folder marker" some tools create: not a child)
          entries.push({ path: item.name.slice(folder.length), isDir: false, size: item.size });
        }
      }
      token = page.isTruncated ? page.nextContinuationToken : "";
    } while (token);
    return entries.sort(byPath);
  }

  /** Every object in the bucket with its size and ETag, in S3's key order (what a backup records of a bucket). */
  async *inventory(): AsyncGenerator<BucketObject> {
    await this.prepare();
    for await (const item of this.client.listObjectsV2(this.bucket, "", true)) {
      if (item.name) yield { key: item.name, size: item.size, etag: String(item.etag).replace(/^"|"$/g, "") };
    }
  }

  async createMultipartUpload(key: string, options: { contentType?: string } = {}): Promise<string> {
    const headers = { "Content-Type": checkArguments.createUpload(key, options).contentType };
    await this.prepare();
    return this.client.initiateNewMultipartUpload(this.bucket, key, headers);
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: ObjectBody,
    options: { size?: number } = {},
  ): Promise<string> {
    checkArguments.uploadPart(key, uploadId, partNumber, options);
    await this.prepare();
    const meter = byteMeter({ expected: options.size, limit: { bytes: MAX_PROXIED_PART_BYTES, error: partTooLarge } });
    const chunks: Uint8Array[] = [];
    for await (const chunk of meter.pass(chunksOf(body))) chunks.push(chunk);
    try {
      return await this.sendPart(key, uploadId, partNumber, Buffer.concat(chunks));
    } catch (error) {
      throw fromS3Error(error, { key, uploadId });
    }
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[]): Promise<void> {
    const checked = checkArguments.complete(key, uploadId, parts);
    await this.prepare();
    try {
      await this.complete(key, uploadId, checked);
    } catch (error) {
      throw fromS3Error(error, { key, uploadId });
    }
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    checkArguments.upload(key, uploadId);
    await this.prepare();
    try {
      await this.client.abortMultipartUpload(this.bucket, key, uploadId);
    } catch (error) {
      if (s3Code(error) !== "NoSuchUpload") throw error;
    }
  }

  /**
   * The bucket serves the download with the signed response-* overrides, so whatever type the uploader
   * gave (HTML, SVG...) arrives as an opaque attachment and never runs on the bucket's origin.
   */
  async presignGet(key: string, expirySeconds: number): Promise<string> {
    checkArguments.presign(key, expirySeconds);
    return this.signer.presignedGetObject(this.bucket, key, expirySeconds, {
      "response-content-disposition": attachmentDisposition(path.posix.basename(key)),
      "response-content-type": "application/octet-stream",
    });
  }

  async presignPut(key: string, expirySeconds: number): Promise<string> {
    checkArguments.presign(key, expirySeconds);
    return this.signer.presignedPutObject(this.bucket, key, expirySeconds);
  }

  async presignPart(key: string, uploadId: string, partNumber: number, expirySeconds: number): Promise<string> {
    checkArguments.presignPart(key, uploadId, partNumber, expirySeconds);
    return this.signer.presignedUrl("PUT", this.bucket, key, expirySeconds, {
      partNumber: String(partNumber),
      uploadId,
    });
  }

  private async ensureBucket(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, this.region);
    } catch (error) {
      // Another instance created it first.
      if (s3Code(error) !== "BucketAlreadyOwnedByYou" && s3Code(error) !== "BucketAlreadyExists") throw error;
    }
  }

  private async sendPart(key: string, uploadId: string, partNumber: number, payload: Buffer): Promise<string> {
    const sent = await this.client.uploadPart(
      { bucketName: this.bucket, objectName: key, uploadID: uploadId, partNumber, headers: {} },
      payload,
    );
    return sent.etag;
  }

  private async complete(key: string, uploadId: string, parts: CompletedPart[]): Promise<void> {
    await this.client.completeMultipartUpload(
      this.bucket,
      key,
      uploadId,
      parts.map(({ partNumber, etag }) => ({ part: partNumber, etag })),
    );
  }

  /** Best-effort cleanup after a failed upload; the original error is the one worth reporting. */
  private async discard(key: string, uploadId: string): Promise<void> {
    await this.client.abortMultipartUpload(this.bucket, key, uploadId).catch(() => undefined);
  }
}

/**
 * Part sizes for streamed uploads of unknown length: 8 MiB for the first 1,000 parts (8 GB), then
 * doubling every 1,000 parts, so 10,000 parts reach S3's 5 TiB object limit while ordinary
 * artifacts keep small parts (and small buffers).
 */
function partBytes(index: number): number {
  if (index >= MAX_PARTS) throw new Error(`Object exceeds ${MAX_PARTS} parts`);
  return 8 * 1024 * 1024 * 2 ** Math.floor(index / 1000);
}

function clientFor(endpoint: string, settings: S3Settings): Client {
  const url = new URL(endpoint);
  return new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    useSSL: url.protocol === "https:",
    accessKey: settings.accessKey,
    secretKey: settings.secretKey,
    region: settings.region,
    pathStyle: settings.pathStyle,
  });
}

/** `attachment` with an ASCII fallback name (quotes, backslashes and the rest replaced) and the exact UTF-8 one. */
function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
