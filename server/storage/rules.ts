import { badInput, notFound } from "@/lib/errors";
import { folderKey, objectKey } from "./keys";
import { type ByteRange, type CompletedPart, DEFAULT_CONTENT_TYPE, type ListEntry, type PutOptions } from "./object-store";

/**
 * The rules both backends apply before any I/O, and the errors both raise, so that code tested on
 * the filesystem store behaves the same on S3. The multipart numbers are S3's own (AWS and MinIO).
 */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;
/**
 * A part that passes through this server: the S3 backend must hold one part in memory to sign it.
 * MLflow sends 10 MiB parts; bigger uploads go straight to the bucket through `presignPart`.
 */
export const MAX_PROXIED_PART_BYTES = 64 * 1024 * 1024;
/** S3 signatures last at most 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;

export function checkDeletablePrefix(prefix: string): void {
  if (folderKey(prefix) === "") throw badInput("deletePrefix needs a folder; refusing to delete the whole store");
}

function checkSize(size: number | undefined): void {
  if (size !== undefined && !(Number.isSafeInteger(size) && size >= 0)) {
    throw badInput(`Size must be a non-negative integer, got ${size}`);
  }
}

function checkContentType(contentType: string | undefined): string {
  if (contentType === undefined || contentType === "") return DEFAULT_CONTENT_TYPE;
  // It travels as an HTTP header on S3 and is echoed in responses: printable ASCII only.
  if (!/^[\x20-\x7e]{1,255}$/.test(contentType)) throw badInput(`Content type ${JSON.stringify(contentType)} is not valid`);
  return contentType;
}

function checkRange(range: ByteRange | undefined): void {
  if (range === undefined) return;
  if (!Number.isSafeInteger(range.offset) || range.offset < 0) {
    throw badInput(`Range offset must be a non-negative integer, got ${range.offset}`);
  }
  if (range.length !== undefined && !(Number.isSafeInteger(range.length) && range.length >= 1)) {
    throw badInput(`Range length must be a positive integer, got ${range.length}`);
  }
}

/**
 * Where a range lands in an object of `size` bytes. A range that starts at or past the end is
 * refused, except "from 0 to the end", which is the whole object even when it is empty (S3 sends no
 * Range header for it).
 */
export function resolveRange(range: ByteRange | undefined, size: number): { offset: number; length: number } {
  if (range === undefined || (range.offset === 0 && range.length === undefined)) return { offset: 0, length: size };
  if (range.offset >= size) throw rangeNotSatisfiable(range, size);
  return { offset: range.offset, length: Math.min(range.length ?? size, size - range.offset) };
}

export const rangeNotSatisfiable = (range: ByteRange, size?: number) =>
  badInput(
    `Range starting at byte ${range.offset} is past the end of the object` + (size === undefined ? "" : ` (${size} bytes)`),
  );

function checkPartNumber(partNumber: number): void {
  if (!Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw badInput(`Part number must be an integer from 1 to ${MAX_PARTS}, got ${partNumber}`);
  }
}

function checkUploadId(uploadId: string): void {
  if (typeof uploadId !== "string" || uploadId === "") throw badInput("Upload id must not be empty");
}

/** Checks a completion list and strips the quotes some clients keep around ETags. */
function checkParts(parts: CompletedPart[]): CompletedPart[] {
  if (parts.length === 0) throw badInput("A multipart upload needs at least one part to complete");
  let previous = 0;
  return parts.map(({ partNumber, etag }) => {
    checkPartNumber(partNumber);
    if (partNumber <= previous) throw badInput("Parts must be listed in ascending part-number order, each once");
    previous = partNumber;
    const bare = typeof etag === "string" ? etag.replaceAll('"', "") : "";
    if (bare === "") throw badInput(`Part ${partNumber} has no ETag`);
    return { partNumber, etag: bare };
  });
}

function checkExpiry(seconds: number): void {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
    throw badInput(`Link lifetime must be 1 to ${MAX_PRESIGN_SECONDS} seconds, got ${seconds}`);
  }
}

/**
 * The argument checks of each store operation, run by both backends before any I/O, so that they
 * refuse exactly the same requests with the same errors. Each returns what the backend goes on with.
 */
export const checkArguments = {
  put(key: string, options: PutOptions): { contentType: string } {
    objectKey(key);
    checkSize(options.size);
    return { contentType: checkContentType(options.contentType) };
  },
  get(key: string, range: ByteRange | undefined): void {
    objectKey(key);
    checkRange(range);
  },
  createUpload(key: string, options: { contentType?: string }): { contentType: string } {
    objectKey(key);
    return { contentType: checkContentType(options.contentType) };
  },
  uploadPart(key: string, uploadId: string, partNumber: number, options: { size?: number }): void {
    checkArguments.upload(key, uploadId);
    checkPartNumber(partNumber);
    checkSize(options.size);
  },
  /** An operation on an existing upload (abort). */
  upload(key: string, uploadId: string): void {
    objectKey(key);
    checkUploadId(uploadId);
  },
  complete(key: string, uploadId: string, parts: CompletedPart[]): CompletedPart[] {
    checkArguments.upload(key, uploadId);
    return checkParts(parts);
  },
  presign(key: string, expirySeconds: number): void {
    objectKey(key);
    checkExpiry(expirySeconds);
  },
  presignPart(key: string, uploadId: string, partNumber: number, expirySeconds: number): void {
    checkArguments.upload(key, uploadId);
    checkPartNumber(partNumber);
    checkExpiry(expirySeconds);
  },
};

export const objectNotFound = (key: string) => notFound(`No artifact stored at ${JSON.stringify(key)}`);
export const uploadNotFound = (uploadId: string) =>
  notFound(`No multipart upload ${JSON.stringify(uploadId)} in progress for this path`);
export const partTooLarge = () => badInput(`A part may hold at most ${MAX_PROXIED_PART_BYTES} bytes`);
export const partTooSmall = (partNumber: number) =>
  badInput(`Part ${partNumber} is smaller than ${MIN_PART_BYTES} bytes; only the last part may be`);
export const partMissing = (partNumber: number) =>
  badInput(`Part ${partNumber} was not uploaded with that ETag`);

/** Listing order (UTF-16 code units), the same for both backends. */
export const byPath = (a: ListEntry, b: ListEntry) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
