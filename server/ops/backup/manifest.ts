import { z } from "zod";
import { ArchiveError } from "./archive-error";

/**
 * What a backup archive holds (docs/backup.md, "The archive"), in this order:
 *
 *   manifest.json                    this file's schema: versions, migrations, tables and row counts
 *   secrets/auth-secret              the instance secret from TALLY_HOME, when it lives there
 *   database/<table>/<part>.csv      each table's rows (COPY CSV), cut into parts of at most PART_BYTES
 *   artifacts/objects/<key>          filesystem store: every object…
 *   artifacts/types/<key>            …and its content type when not the default
 *   artifacts/s3-inventory/<part>.jsonl   S3 store: one {key, size, etag} line per object instead
 *   end.json                         the trailer: counts that prove the archive is complete
 */
export const FORMAT = "tally-backup";
export const FORMAT_VERSION = 1;
/** Table data and inventories are cut into parts: a tar entry's size comes before its bytes, so a part is buffered whole. */
export const PART_BYTES = 8 * 1024 * 1024;

export const PATHS = {
  manifest: "manifest.json",
  authSecret: "secrets/auth-secret",
  trailer: "end.json",
} as const;

export const partName = (part: number) => String(part).padStart(6, "0");
export const tablePartPath = (table: string, part: number) => `database/${table}/${partName(part)}.csv`;
export const inventoryPartPath = (part: number) => `artifacts/s3-inventory/${partName(part)}.jsonl`;

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a plain SQL identifier");

export const manifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  tallyVersion: z.string(),
  createdAt: z.iso.datetime(),
  postgresVersion: z.string(),
  migrations: z.array(z.object({ name: z.string().min(1), checksum: z.string().regex(/^[0-9a-f]{64}$/) })).min(1),
  tables: z.array(z.object({ name: identifier, columns: z.array(identifier).min(1), rows: z.number().int().min(0) })),
  sequences: z.array(z.object({ name: identifier, value: z.string().regex(/^-?\d+$/).nullable() })),
  artifacts: z.discriminatedUnion("store", [
    z.object({ store: z.literal("filesystem") }),
    z.object({ store: z.literal("s3"), bucket: z.string() }),
  ]),
  /** Where the backed-up instance kept the secret that signs sessions and encrypts webhook secrets. */
  authSecret: z.enum(["included", "environment", "none"]),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const trailerSchema = z.object({
  tableParts: z.number().int().min(0),
  artifacts: z.object({ files: z.number().int().min(0), bytes: z.number().int().min(0) }),
});
export type Trailer = z.infer<typeof trailerSchema>;

/** Parses manifest.json; the error says why an archive cannot be restored by this Tally. */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ArchiveError("its manifest.json is not valid JSON");
  }
  const head = z.object({ format: z.string(), formatVersion: z.number() }).safeParse(raw);
  if (!head.success || head.data.format !== FORMAT) throw new ArchiveError("its manifest.json does not describe a Tally backup");
  if (head.data.formatVersion > FORMAT_VERSION) {
    throw new ArchiveError(`it uses backup format ${head.data.formatVersion}, newer than this Tally reads (${FORMAT_VERSION}): upgrade Tally first`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ArchiveError(`its manifest.json is damaged (${issue.path.join(".")}: ${issue.message})`);
  }
  return parsed.data;
}

export function parseTrailer(text: string): Trailer {
  const parsed = trailerSchema.safeParse((() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  })());
  if (!parsed.success) throw new ArchiveError("its end.json is damaged");
  return parsed.data;
}
