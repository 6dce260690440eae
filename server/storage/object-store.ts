import type { Readable } from "node:stream";

/**
 * The artifact object store. Two backends implement it (a local folder and any S3-compatible
 * server) and one shared test suite holds them to the same behaviour, so services never care which
 * is configured.
 *
 * Keys are canonical relative paths (build them with `joinKey`); a bad key fails with BAD_INPUT
 * before any I/O. Bodies are streamed: no backend holds a whole object in memory. Folders are
 * implicit, as in S3: they exist while something is stored under them.
 */
export interface ObjectStore {
  readonly kind: "filesystem" | "s3";

  /** Creates the root folder or the bucket if missing. Every method does it on first use; call it at startup to fail fast. */
  prepare(): Promise<void>;

  /**
   * Stores `body` under `key`, replacing any object there. Atomic: readers see the old object or the
   * whole new one, and a failed or aborted upload (including a body whose length differs from
   * `options.size`) leaves nothing behind.
   */
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<{ size: number }>;

  /** Opens an object, or a byte range of it, for reading. NOT_FOUND when missing; BAD_INPUT for a range past its end. */
  get(key: string, range?: ByteRange): Promise<ObjectRead>;

  /** Size, type and age of an object; null when missing. */
  stat(key: string): Promise<ObjectInfo | null>;

  /** Deletes an object; deleting a missing one succeeds. */
  delete(key: string): Promise<void>;

  /** Deletes everything stored under the folder `prefix` (keys starting with `prefix/`). */
  deletePrefix(prefix: string): Promise<void>;

  /** The immediate children of folder `prefix` ("" for the root), sorted by name; a missing folder is empty. */
  list(prefix: string): Promise<ListEntry[]>;

  /** Starts a multipart upload (S3 rules: parts numbered 1..10000, all but the last at least 5 MiB). */
  createMultipartUpload(key: string, options?: { contentType?: string }): Promise<string>;

  /**
   * Stores one part (at most MAX_PROXIED_PART_BYTES) and returns its ETag; re-sending a part number
   * replaces it. NOT_FOUND when the upload is unknown.
   */
  uploadPart(key: string, uploadId: string, partNumber: number, body: ObjectBody, options?: { size?: number }): Promise<string>;

  /** Assembles the listed parts, in ascending part order, into the object; the upload is then gone. */
  completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[]): Promise<void>;

  /** Discards an upload and its parts; aborting an unknown upload succeeds. */
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;

  /**
   * A URL that downloads the object without credentials, as an application/octet-stream attachment
   * (never rendered inline), or null when the backend cannot sign (the caller proxies).
   */
  presignGet(key: string, expirySeconds: number): Promise<string | null>;

  /** A URL that uploads the object with a plain PUT, or null when the backend cannot sign. */
  presignPut(key: string, expirySeconds: number): Promise<string | null>;

  /** A URL a client PUTs one part to (the MLflow multipart flow), or null when the backend cannot sign. */
  presignPart(key: string, uploadId: string, partNumber: number, expirySeconds: number): Promise<string | null>;
}

/** Byte sources a store accepts. A Readable must be in binary mode (Buffer chunks). */
export type ObjectBody = Readable | AsyncIterable<Uint8Array> | Uint8Array;

export interface PutOptions {
  /** Stored and returned on reads; defaults to DEFAULT_CONTENT_TYPE. */
  contentType?: string;
  /** The expected length (e.g. Content-Length); a body of any other length is refused and not stored. */
  size?: number;
}

export interface ObjectInfo {
  size: number;
  contentType: string;
  lastModified: Date;
}

/** `length` bytes from `offset`; without `length`, up to the end. */
export interface ByteRange {
  offset: number;
  length?: number;
}

export interface ObjectRead extends ObjectInfo {
  body: Readable;
  /** The bytes `body` holds; the whole object when no range was asked for. */
  range: { offset: number; length: number };
}

export interface ListEntry {
  /** The entry's own name (no folder part). */
  path: string;
  isDir: boolean;
  /** Bytes, for objects. */
  size?: number;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

/** What S3 reports for an object stored without a type; the filesystem backend reports the same. */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";
