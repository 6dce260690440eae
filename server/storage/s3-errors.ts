import { badInput, insufficientStorage } from "@/lib/errors";
import type { ByteRange } from "./object-store";
import { objectNotFound, rangeNotSatisfiable, uploadNotFound } from "./rules";

/** The S3 error code of a failed minio call, if it was an S3 answer. */
export const s3Code = (error: unknown): string | undefined =>
  error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;

/**
 * Maps S3's answers onto the AppErrors the filesystem backend raises in the same situations; any
 * other failure (network, credentials, server error) passes through unchanged.
 */
export function fromS3Error(error: unknown, context: { key: string; uploadId?: string; range?: ByteRange }): unknown {
  switch (s3Code(error)) {
    case "NoSuchKey":
    case "NotFound": // a HEAD request has no body, so no precise code
      return objectNotFound(context.key);
    case "NoSuchUpload":
      return uploadNotFound(context.uploadId ?? "");
    case "InvalidRange":
      return rangeNotSatisfiable(context.range ?? { offset: 0 });
    case "EntityTooSmall":
    case "InvalidPart":
    case "InvalidPartOrder":
      return badInput(`Multipart upload refused by storage: ${(error as Error).message}`);
    case "XMinioStorageFull":
      return insufficientStorage("The artifact storage (MinIO) is full, so this artifact was not stored. An administrator must free space first.");
    default:
      return error;
  }
}
