import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { ArchiveError } from "@/server/ops/backup/archive-error";
import { readArchive } from "@/server/ops/backup/archive-reader";
import { type ArchiveEntry, packArchive } from "@/server/ops/backup/archive-writer";
import { gzipMembers } from "@/server/ops/backup/gzip-members";

/** Backup archives: a .tar.gz that GNU tar reads (and we read its), damage refused. */

const scratch = mkdtempSync(path.join(tmpdir(), "tally-archive-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;
const scratchFile = (name: string) => path.join(scratch, `${++files}-${name}`);

async function* inPieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function writeArchive(entries: ArchiveEntry[]): Promise<string> {
  const file = scratchFile("archive.tar.gz");
  await pipeline(packArchive(entries), gzipMembers, createWriteStream(file));
  return file;
}

async function entriesOf(file: string): Promise<{ path: string; body: Buffer }[]> {
  const entries: { path: string; body: Buffer }[] = [];
  await readArchive(file, async (entry) => {
    const chunks: Buffer[] = [];
    for await (const chunk of entry.body) chunks.push(chunk);
    entries.push({ path: entry.path, body: Buffer.concat(chunks) });
  });
  return entries;
}

const longName = `artifacts/objects/${"deep/".repeat(40)}modèle final ✓.bin`;
const big = randomBytes(3 * 2 ** 20 + 17);
const sample = (): ArchiveEntry[] => [
  { path: "manifest.json", size: 2, body: Buffer.from("{}") },
  { path: "empty", size: 0, body: Buffer.alloc(0) },
  { path: longName, size: 1500, body: big.subarray(0, 1500) },
  { path: "streamed.bin", size: big.length, body: inPieces(big, 65_536) },
];
const expected = [Buffer.from("{}"), Buffer.alloc(0), big.subarray(0, 1500), big];

describe("backup archive", () => {
  it("reads back every entry whole, long and non-ASCII names included", async () => {
    const read = await entriesOf(await writeArchive(sample()));
    expect(read.map((entry) => entry.path)).toEqual(sample().map((entry) => entry.path));
    read.forEach((entry, index) => expect(entry.body.equals(expected[index]!)).toBe(true));
  });

  it("is read by GNU tar, names and bytes intact", async () => {
    const file = await writeArchive(sample());
    const listed = execFileSync("tar", ["-tzf", file], { encoding: "utf8" }).trim().split("\n");
    expect(listed).toEqual(sample().map((entry) => entry.path));
    const out = scratchFile("extracted");
    mkdirSync(out);
    execFileSync("tar", ["-xzf", file, "-C", out]);
    expect(readFileSync(path.join(out, longName)).equals(expected[2]!)).toBe(true);
    expect(readFileSync(path.join(out, "streamed.bin")).equals(big)).toBe(true);
  });

  it("reads what GNU tar writes (pax format, long names)", async () => {
    const source = scratchFile("source");
    const name = `${"x".repeat(150)}/données.txt`;
    mkdirSync(path.join(source, "x".repeat(150)), { recursive: true });
    writeFileSync(path.join(source, name), "contenu");
    const file = scratchFile("theirs.tar.gz");
    execFileSync("tar", ["--format=pax", "-czf", file, "-C", source, name]);
    const read = await entriesOf(file);
    expect(read).toEqual([{ path: name, body: Buffer.from("contenu") }]);
  });

  it("refuses to write a body that is not the announced size (a file that changed while it was archived)", async () => {
    await expect(writeArchive([{ path: "short", size: 10, body: inPieces(Buffer.from("abc"), 2) }])).rejects.toThrow(
      "short changed while it was archived: expected 10 bytes, read 3",
    );
    await expect(writeArchive([{ path: "long", size: 2, body: inPieces(Buffer.from("abc"), 1) }])).rejects.toThrow(/long changed while it was archived/);
  });

  it("refuses a damaged, cut, padded or foreign archive, saying why", async () => {
    const tar = gunzipSync(readFileSync(await writeArchive(sample())));
    const refusal = async (bytes: Buffer) => {
      const file = scratchFile("bad.tar.gz");
      writeFileSync(file, bytes);
      const error = await entriesOf(file).then(() => null, (failure: unknown) => failure);
      expect(error).toBeInstanceOf(ArchiveError);
      return (error as Error).message;
    };

    const damaged = Buffer.from(tar);
    damaged[10] = damaged[10]! ^ 0xff;
    expect(await refusal(gzipSync(damaged))).toMatch(/not a valid tar archive.*Invalid tar header/);
    expect(await refusal(gzipSync(tar.subarray(0, 3000)))).toMatch(/cut short/);
    expect(await refusal(gzipSync(Buffer.concat([tar, Buffer.from("trailing junk")])))).toMatch(/not a valid tar archive/);
    const compressed = readFileSync(await writeArchive(sample()));
    expect(await refusal(compressed.subarray(0, compressed.length - 100))).toMatch(/not a gzip-compressed Tally backup, or it is damaged or cut short/);
    expect(await refusal(randomBytes(4096))).toMatch(/not a gzip-compressed Tally backup/);

    const links = scratchFile("links");
    mkdirSync(links);
    execFileSync("ln", ["-s", "/etc/passwd", path.join(links, "link")]);
    const withLink = scratchFile("link.tar.gz");
    execFileSync("tar", ["-czf", withLink, "-C", links, "link"]);
    expect(await refusal(readFileSync(withLink))).toMatch(/"symlink" \(link, not a regular file\)/);
  });

  it("passes on an error of the reader's own, whatever the archive holds after it", async () => {
    const file = await writeArchive(sample());
    const refusal = new Error("not this one");
    await expect(readArchive(file, () => Promise.reject(refusal))).rejects.toBe(refusal);
  });

  it("compresses as gzip members that gunzip and GNU tar read as one stream, storing what does not compress", async () => {
    const weights = randomBytes(12 * 2 ** 20);
    const csv = Buffer.from(Array.from({ length: 200_000 }, (_, row) => `${row},loss,${row % 100},0.5\n`).join(""));
    const bytes = Buffer.concat([csv, weights, csv]);
    const chunks: Buffer[] = [];
    for await (const chunk of gzipMembers(inPieces(bytes, 100_000))) chunks.push(chunk);
    const compressed = Buffer.concat(chunks);
    expect(chunks.length).toBeGreaterThan(3);
    expect(gunzipSync(compressed).equals(bytes)).toBe(true);
    // The weights are stored (a few bytes of framing per 64 KiB), the CSV shrinks several times over.
    expect(compressed.length).toBeGreaterThan(weights.length);
    expect(compressed.length).toBeLessThan(weights.length + csv.length / 2);
    const file = scratchFile("members.tar.gz");
    await pipeline(packArchive([{ path: "weights.bin", size: bytes.length, body: bytes }]), gzipMembers, createWriteStream(file));
    expect(execFileSync("tar", ["-tzf", file], { encoding: "utf8" })).toBe("weights.bin\n");
  });
});
