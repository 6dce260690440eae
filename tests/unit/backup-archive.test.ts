import { execFileSync } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ArchiveError } from "@/server/ops/backup/archive-error";
import { gzipMembers, looksCompressible } from "@/server/ops/backup/gzip-members";
import { readTar, type TarChunk, type TarEntryInput, writeTar } from "@/server/ops/backup/tar";

/** The format of backup archives: tar that GNU tar reads (and we read its), compressed as gzip members. */

const scratch = mkdtempSync(path.join(tmpdir(), "tally-tar-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function bytesOf(chunks: AsyncIterable<Buffer | TarChunk>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.isBuffer(chunk) ? chunk : chunk.bytes);
  return Buffer.concat(parts);
}

async function* inPieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function entriesOf(archive: Buffer, pieceSize = 777): Promise<{ path: string; body: Buffer }[]> {
  const entries = [];
  for await (const entry of readTar(inPieces(archive, pieceSize))) entries.push({ path: entry.path, body: await bytesOf(entry.body) });
  return entries;
}

const longName = `artifacts/objects/${"deep/".repeat(40)}modèle final ✓.bin`;
const files: TarEntryInput[] = [
  { path: "manifest.json", size: 2, body: Buffer.from("{}") },
  { path: "empty", size: 0, body: Buffer.alloc(0) },
  { path: longName, size: 1500, body: randomBytes(1500) },
  { path: "exactly-one-block", size: 512, body: Buffer.alloc(512, 1) },
];

describe("backup archive tar format", () => {
  it("reads back every entry whole, whatever the long or non-ASCII names and however the stream is cut", async () => {
    const archive = await bytesOf(writeTar(files));
    for (const pieceSize of [1, 100, 512, 777, 1 << 20]) {
      const read = await entriesOf(archive, pieceSize);
      expect(read.map((entry) => entry.path)).toEqual(files.map((file) => file.path));
      read.forEach((entry, index) => expect(entry.body.equals(files[index]!.body as Buffer)).toBe(true));
    }
  });

  it("streams bodies given as chunk sequences and skips the entries a reader leaves unread", async () => {
    const big = randomBytes(3 * 65536 + 17);
    const archive = await bytesOf(
      writeTar([
        { path: "skipped", size: big.length, body: inPieces(big, 65536) },
        { path: "half-read", size: big.length, body: inPieces(big, 1000) },
        { path: "last", size: 4, body: Buffer.from("last") },
      ]),
    );
    const seen: string[] = [];
    for await (const entry of readTar(inPieces(archive, 4096))) {
      seen.push(entry.path);
      if (entry.path === "half-read") {
        for await (const chunk of entry.body) {
          void chunk;
          break;
        }
      }
      if (entry.path === "last") expect((await bytesOf(entry.body)).toString()).toBe("last");
    }
    expect(seen).toEqual(["skipped", "half-read", "last"]);
  });

  it("refuses a body that is not the announced size (a file that changed while it was archived)", async () => {
    await expect(bytesOf(writeTar([{ path: "short", size: 10, body: Buffer.from("abc") }]))).rejects.toThrow(/expected 10 bytes, read 3/);
    await expect(bytesOf(writeTar([{ path: "long", size: 2, body: Buffer.from("abc") }]))).rejects.toThrow(/expected 2 bytes/);
  });

  it("is read by GNU tar, names and bytes intact", async () => {
    const archive = await bytesOf(writeTar(files));
    const file = path.join(scratch, "ours.tar");
    writeFileSync(file, archive);
    const listed = execFileSync("tar", ["-tf", file], { encoding: "utf8" }).trim().split("\n");
    expect(listed).toEqual(files.map((entry) => entry.path));
    const out = path.join(scratch, "extracted");
    mkdirSync(out);
    execFileSync("tar", ["-xf", file, "-C", out]);
    expect(readFileSync(path.join(out, longName)).equals(files[2]!.body as Buffer)).toBe(true);
  });

  it("reads what GNU tar writes (pax format, long names)", async () => {
    const source = path.join(scratch, "source");
    const name = `${"x".repeat(150)}/données.txt`;
    mkdirSync(path.join(source, "x".repeat(150)), { recursive: true });
    writeFileSync(path.join(source, name), "contenu");
    const file = path.join(scratch, "theirs.tar");
    execFileSync("tar", ["--format=pax", "-cf", file, "-C", source, name]);
    const read = await entriesOf(readFileSync(file));
    expect(read).toHaveLength(1);
    expect(read[0]!.path).toBe(name);
    expect(read[0]!.body.toString()).toBe("contenu");
  });

  it("names what is wrong with a damaged, cut or foreign archive", async () => {
    const archive = await bytesOf(writeTar(files));
    const damaged = Buffer.from(archive);
    damaged[10] = damaged[10]! ^ 0xff;
    await expect(entriesOf(damaged)).rejects.toThrow(new ArchiveError("a header is damaged (checksum mismatch)"));
    await expect(entriesOf(archive.subarray(0, 2048))).rejects.toThrow(/cut short/);
    await expect(entriesOf(archive.subarray(0, archive.length - 1024))).rejects.toThrow(/end-of-archive marker/);
    await expect(entriesOf(Buffer.concat([archive, Buffer.from("trailing junk")]))).rejects.toThrow(/after its end-of-archive marker/);

    const symlinkSource = path.join(scratch, "links");
    mkdirSync(symlinkSource);
    execFileSync("ln", ["-s", "/etc/passwd", path.join(symlinkSource, "link")]);
    const withLink = path.join(scratch, "link.tar");
    execFileSync("tar", ["-cf", withLink, "-C", symlinkSource, "link"]);
    await expect(entriesOf(readFileSync(withLink))).rejects.toThrow(/not a regular file/);
  });

  it("compresses as gzip members that gunzip and GNU tar read as one stream, storing what does not compress", async () => {
    const weights = randomBytes(6 * 2 ** 20);
    const csv = Buffer.from(Array.from({ length: 200_000 }, (_, row) => `${row},loss,${row % 100},0.5\n`).join(""));
    // A fixed mtime, so that both writes below produce the same bytes.
    const mtime = new Date("2026-12-01T00:00:00Z");
    const entries: TarEntryInput[] = [
      { path: "database/MetricPoint/000001.csv", size: csv.length, body: csv, mtime },
      { path: "artifacts/objects/p/weights.bin", size: weights.length, body: weights, compressible: false, mtime },
      { path: "end.json", size: 2, body: Buffer.from("{}"), mtime },
    ];
    const compressed = await bytesOf(gzipMembers(writeTar(entries)));
    expect(gunzipSync(compressed).equals(await bytesOf(writeTar(entries)))).toBe(true);
    // The weights are stored (a few bytes of framing per 64 KiB), the CSV shrinks several times over.
    expect(compressed.length).toBeGreaterThan(weights.length);
    expect(compressed.length).toBeLessThan(weights.length + csv.length / 4);
    const file = path.join(scratch, "members.tar.gz");
    writeFileSync(file, compressed);
    expect(execFileSync("tar", ["-tzf", file], { encoding: "utf8" }).trim().split("\n")).toEqual(entries.map((entry) => entry.path));
  });

  it("guesses from a sample whether a file compresses", () => {
    expect(looksCompressible(randomBytes(4096))).toBe(false);
    expect(looksCompressible(Buffer.from('{"step": 1, "loss": 0.25}\n'.repeat(200)))).toBe(true);
  });
});
