import { StringDecoder } from "node:string_decoder";
import type { BucketObject } from "@/server/storage/s3-store";
import { ArchiveError } from "./archive-error";
import { inventoryPartPath, PART_BYTES } from "./manifest";
import type { ArchiveEntry } from "./archive-writer";

/**
 * With the S3 store the bytes stay in the bucket (its own versioning or replication backs them up);
 * the archive records the bucket's inventory, so a restore can tell whether the bucket still holds
 * what the database refers to.
 */
export interface Inventory {
  bucket: string;
  objects(): AsyncIterable<BucketObject>;
}

export interface InventoryTotals {
  files: number;
  bytes: number;
}

/** The inventory as JSON lines, in parts of about PART_BYTES. */
export async function* inventoryEntries(inventory: Inventory, totals: InventoryTotals): AsyncGenerator<ArchiveEntry> {
  let part = 0;
  let lines: string[] = [];
  let size = 0;
  const cut = (): ArchiveEntry => {
    const body = Buffer.from(lines.join(""));
    lines = [];
    size = 0;
    return { path: inventoryPartPath(++part), size: body.length, body };
  };
  for await (const object of inventory.objects()) {
    const line = `${JSON.stringify({ key: object.key, size: object.size, etag: object.etag })}\n`;
    lines.push(line);
    size += Buffer.byteLength(line);
    totals.files++;
    totals.bytes += object.size;
    if (size >= PART_BYTES) yield cut();
  }
  if (size > 0) yield cut();
}

export interface InventoryComparison {
  /** Objects the backup lists that the bucket no longer holds. */
  missing: number;
  /** Objects the bucket holds under a listed key but with other content (another ETag or size). */
  changed: number;
  /** A few of the keys counted above, for the report. */
  examples: string[];
  files: number;
  bytes: number;
}

/**
 * Compares the archived inventory with the bucket as it is now, one object at a time: both lists
 * come in S3's key order (UTF-8 byte order), so a merge walks them once in constant memory.
 */
export class InventoryCheck {
  readonly result: InventoryComparison = { missing: 0, changed: 0, examples: [], files: 0, bytes: 0 };
  private readonly bucket: AsyncIterator<BucketObject>;
  private current: BucketObject | null | undefined;
  private pending = "";
  private readonly decoder = new StringDecoder("utf8");

  constructor(inventory: Inventory) {
    this.bucket = inventory.objects()[Symbol.asyncIterator]();
  }

  async feed(body: AsyncIterable<Buffer>): Promise<void> {
    for await (const chunk of body) {
      const lines = (this.pending + this.decoder.write(chunk)).split("\n");
      this.pending = lines.pop()!;
      for (const line of lines) if (line) await this.check(parseLine(line));
    }
    if (this.pending) {
      await this.check(parseLine(this.pending));
      this.pending = "";
    }
  }

  private async check(listed: BucketObject): Promise<void> {
    this.result.files++;
    this.result.bytes += listed.size;
    let current = await this.peek();
    while (current && Buffer.compare(Buffer.from(current.key), Buffer.from(listed.key)) < 0) {
      this.current = undefined;
      current = await this.peek();
    }
    if (!current || current.key !== listed.key) this.note("missing", listed.key);
    else if (current.etag !== listed.etag || current.size !== listed.size) this.note("changed", listed.key);
  }

  private async peek(): Promise<BucketObject | null> {
    if (this.current === undefined) {
      const next = await this.bucket.next();
      this.current = next.done ? null : next.value;
    }
    return this.current;
  }

  private note(kind: "missing" | "changed", key: string): void {
    this.result[kind]++;
    if (this.result.examples.length < 5) this.result.examples.push(`${key} (${kind})`);
  }
}

function parseLine(line: string): BucketObject {
  let value: Partial<BucketObject> | null = null;
  try {
    value = JSON.parse(line) as Partial<BucketObject>;
  } catch {
    value = null;
  }
  if (typeof value?.key !== "string" || typeof value.size !== "number" || typeof value.etag !== "string") {
    throw new ArchiveError("its S3 inventory is damaged");
  }
  return { key: value.key, size: value.size, etag: value.etag };
}
