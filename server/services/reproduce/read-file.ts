import { AppError } from "@/lib/errors";
import type { ProjectAccess } from "../access";
import { readArtifactUnder } from "../artifacts";

export type CappedRead = { kind: "missing" } | { kind: "tooLarge"; size: number } | { kind: "text"; text: string };

/**
 * A small text file under an artifact root (a run's or a logged model's), read through the artifact
 * store. A file larger than `limit` is not read at all: the caller reports it instead of parsing a part.
 */
export async function readCapped(access: ProjectAccess, artifactUri: string, relativePath: string, limit: number): Promise<CappedRead> {
  let object;
  try {
    object = await readArtifactUnder(access, artifactUri, relativePath);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return { kind: "missing" };
    throw error;
  }
  if (object.size > limit) {
    object.body.destroy();
    return { kind: "tooLarge", size: object.size };
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of object.body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  } finally {
    object.body.destroy();
  }
  return { kind: "text", text: Buffer.concat(chunks).toString("utf8") };
}
