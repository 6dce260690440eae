import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { storeFor } from "@/server/storage";
import { FilesystemObjectStore } from "@/server/storage/fs-store";
import type { ObjectBody, ObjectStore } from "@/server/storage/object-store";
import { MIN_PART_BYTES } from "@/server/storage/rules";
import { S3ObjectStore } from "@/server/storage/s3-store";
import { startS3Server } from "../support/s3-server";

/** A backend under test: a working store, and one whose every I/O would fail (to prove checks come first). */
interface Harness {
  store: ObjectStore;
  unreachable: ObjectStore;
  /** Whether the backend can sign URLs, and for which host. */
  publicHost?: string;
  stop(): Promise<void>;
}

const backends: { name: string; start: () => Promise<Harness> }[] = [
  {
    name: "filesystem",
    async start() {
      const root = await mkdtemp(path.join(os.tmpdir(), "tally-artifacts-"));
      const blocker = path.join(root, "not-a-folder");
      await writeFile(blocker, "");
      return {
        store: new FilesystemObjectStore(root),
        unreachable: new FilesystemObjectStore(path.join(blocker, "root")),
        stop: () => rm(root, { recursive: true, force: true }),
      };
    },
  },
  {
    name: "S3 (s3rver)",
    async start() {
      const server = await startS3Server();
      const settings = {
        endpoint: server.endpoint,
        // A different host name than the internal one, to see that signed URLs use it.
        publicEndpoint: `http://localhost:${server.port}`,
        bucket: "tally-artifacts",
        region: "us-east-1",
        accessKey: server.accessKey,
        secretKey: server.secretKey,
        pathStyle: true,
      };
      return {
        store: new S3ObjectStore(settings),
        // Port 1 on loopback refuses connections.
        unreachable: new S3ObjectStore({ ...settings, endpoint: "http://127.0.0.1:1" }),
        publicHost: `localhost:${server.port}`,
        stop: () => server.stop(),
      };
    },
  },
];

const MiB = 1024 * 1024;

/** Every test writes under its own prefix, so tests never see each other's objects. */
const uniquePrefix = () => `p-${randomUUID()}`;

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function rejectsWith(promise: Promise<unknown>, code: AppError["code"]): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

/** `count` chunks of `chunkSize` pseudo-random bytes, generated on demand and hashed on the way. */
function generated(count: number, chunkSize: number, onChunk: (index: number) => void) {
  const hash = createHash("sha256");
  const seed = randomBytes(chunkSize);
  async function* body() {
    for (let index = 0; index < count; index++) {
      onChunk(index);
      const chunk = Buffer.from(seed);
      chunk.writeUInt32BE(index, 0); // no two chunks alike
      hash.update(chunk);
      yield chunk;
    }
  }
  return { body: body(), digest: () => hash.digest("hex") };
}

/** Buffer memory still referenced: measured right after a full garbage collection, so garbage does not count. */
const liveBufferBytes = (() => {
  setFlagsFromString("--expose-gc");
  const collect = runInNewContext("gc") as () => void;
  return () => {
    collect();
    collect(); // the first collection's buffers are freed by a background sweeper, which the second one waits for
    return process.memoryUsage().arrayBuffers;
  };
})();

/** A body that sends `bytes` and then fails, like a client that disconnects mid-upload. */
async function* failingAfter(bytes: number): AsyncGenerator<Uint8Array> {
  yield Buffer.alloc(bytes, 7);
  throw new Error("client went away");
}

describe.each(backends)("artifact store: $name", (backend) => {
  let harness: Harness;
  let store: ObjectStore;

  beforeAll(async () => {
    harness = await backend.start();
    store = harness.store;
  });
  afterAll(() => harness.stop());

  it("round-trips text with its content type, and binary from any body type", async () => {
    const p = uniquePrefix();
    expect(await store.put(`${p}/notes.txt`, Buffer.from("héllo\n"), { contentType: "text/plain; charset=utf-8" })).toEqual({
      size: 7,
    });
    const text = await store.get(`${p}/notes.txt`);
    expect((await readAll(text.body)).toString("utf8")).toBe("héllo\n");
    expect(text).toMatchObject({ size: 7, contentType: "text/plain; charset=utf-8", range: { offset: 0, length: 7 } });

    const binary = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)), randomBytes(300_000)]);
    const bodies: ObjectBody[] = [
      binary,
      Readable.from([binary.subarray(0, 1000), binary.subarray(1000)]),
      (async function* () {
        for (let offset = 0; offset < binary.length; offset += 4096) yield binary.subarray(offset, offset + 4096);
      })(),
    ];
    for (const [index, body] of bodies.entries()) {
      expect(await store.put(`${p}/bin/${index}.bin`, body)).toEqual({ size: binary.length });
      const read = await store.get(`${p}/bin/${index}.bin`);
      expect((await readAll(read.body)).equals(binary)).toBe(true);
      expect(read.contentType).toBe("application/octet-stream");
    }
  });

  it("stats objects, and replaces an object whole on a second put", async () => {
    const p = uniquePrefix();
    const before = Date.now();
    await store.put(`${p}/model.json`, Buffer.from('{"a":1}'), { contentType: "application/json" });
    const info = await store.stat(`${p}/model.json`);
    expect(info).toMatchObject({ size: 7, contentType: "application/json" });
    expect(info!.lastModified.getTime()).toBeGreaterThan(before - 5_000);

    await store.put(`${p}/model.json`, Buffer.from("replaced"));
    expect(await store.stat(`${p}/model.json`)).toMatchObject({ size: 8, contentType: "application/octet-stream" });
    expect((await readAll((await store.get(`${p}/model.json`)).body)).toString()).toBe("replaced");
    expect(await store.stat(`${p}/missing.json`)).toBeNull();
  });

  it("streams a 64 MiB object in and out without holding it in memory", async () => {
    const p = uniquePrefix();
    const baseline = liveBufferBytes();
    let peak = 0;
    const sample = (index: number) => {
      if (index % 16 === 8) peak = Math.max(peak, liveBufferBytes() - baseline);
    };
    const source = generated(64, MiB, sample);
    expect(await store.put(`${p}/big.bin`, Readable.from(source.body, { objectMode: false }), { size: 64 * MiB })).toEqual({ size: 64 * MiB });

    const read = await store.get(`${p}/big.bin`);
    expect(read.size).toBe(64 * MiB);
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of read.body) {
      sample(Math.floor(bytes / MiB));
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    expect(bytes).toBe(64 * MiB);
    expect(hash.digest("hex")).toBe(source.digest());
    // Holding the object would keep at least 64 MiB alive; the S3 backend holds about two 8 MiB parts.
    expect(peak, `${peak / MiB} MiB of buffers alive`).toBeLessThan(32 * MiB);
  }, 120_000);

  it("lists the immediate children of a folder, folders flagged, sorted, with sizes", async () => {
    const p = uniquePrefix();
    await store.put(`${p}/run/z.bin`, Buffer.alloc(10));
    await store.put(`${p}/run/a.txt`, Buffer.from("abc"));
    await store.put(`${p}/run/model/MLmodel`, Buffer.from("flavors: {}"));
    await store.put(`${p}/run/model/data/weights.pkl`, Buffer.alloc(5));

    expect(await store.list(`${p}/run`)).toEqual([
      { path: "a.txt", isDir: false, size: 3 },
      { path: "model", isDir: true },
      { path: "z.bin", isDir: false, size: 10 },
    ]);
    expect(await store.list(`${p}/run/model`)).toEqual([
      { path: "MLmodel", isDir: false, size: 11 },
      { path: "data", isDir: true },
    ]);
    expect(await store.list(p)).toEqual([{ path: "run", isDir: true }]);
    expect(await store.list("")).toContainEqual({ path: p, isDir: true });
  });

  it("lists a missing folder, or an object, as empty", async () => {
    const p = uniquePrefix();
    expect(await store.list(`${p}/never/created`)).toEqual([]);
    await store.put(`${p}/file.txt`, Buffer.from("x"));
    expect(await store.list(`${p}/file.txt`)).toEqual([]);
  });

  it("answers NOT_FOUND for a missing object, and for a folder", async () => {
    const p = uniquePrefix();
    await rejectsWith(store.get(`${p}/missing.txt`), "NOT_FOUND");
    await store.put(`${p}/folder/inside.txt`, Buffer.from("x"));
    await rejectsWith(store.get(`${p}/folder`), "NOT_FOUND");
    expect(await store.stat(`${p}/folder`)).toBeNull();
  });

  it("deletes idempotently, and a folder disappears with its last object", async () => {
    const p = uniquePrefix();
    await store.put(`${p}/deep/er/file.txt`, Buffer.from("x"));
    await store.delete(`${p}/deep/er/file.txt`);
    expect(await store.stat(`${p}/deep/er/file.txt`)).toBeNull();
    expect(await store.list(p)).toEqual([]);
    await store.delete(`${p}/deep/er/file.txt`);
    await store.delete(`${p}/never/existed`);
  });

  it("deletes everything under a folder prefix and nothing beside it", async () => {
    const p = uniquePrefix();
    for (const key of ["run/a.txt", "run/sub/b.txt", "run/sub/deeper/c.txt", "runner/d.txt", "other.txt"]) {
      await store.put(`${p}/${key}`, Buffer.from(key));
    }
    await store.deletePrefix(`${p}/run`);
    expect(await store.list(p)).toEqual([
      { path: "other.txt", isDir: false, size: 9 },
      { path: "runner", isDir: true },
    ]);
    await rejectsWith(store.get(`${p}/run/sub/b.txt`), "NOT_FOUND");
    await store.deletePrefix(`${p}/run`);
    await store.deletePrefix(`${p}/other.txt`); // an object is not a folder: kept
    expect(await store.stat(`${p}/other.txt`)).not.toBeNull();
    await rejectsWith(store.deletePrefix(""), "BAD_INPUT");
  });

  it("assembles a multipart upload from parts sent out of order, and then forgets it", async () => {
    const p = uniquePrefix();
    const key = `${p}/model/weights.bin`;
    const first = randomBytes(MIN_PART_BYTES);
    const last = Buffer.from("tail bytes");
    const uploadId = await store.createMultipartUpload(key, { contentType: "application/x-weights" });
    const lastTag = await store.uploadPart(key, uploadId, 2, last);
    await store.uploadPart(key, uploadId, 1, randomBytes(MIN_PART_BYTES)); // replaced just below
    const firstTag = await store.uploadPart(key, uploadId, 1, Readable.from([first]), { size: first.length });
    expect(await store.stat(key)).toBeNull(); // nothing visible before completion

    await store.completeMultipartUpload(key, uploadId, [
      { partNumber: 1, etag: `"${firstTag}"` }, // quoted as in an HTTP ETag header
      { partNumber: 2, etag: lastTag },
    ]);
    const read = await store.get(key);
    expect((await readAll(read.body)).equals(Buffer.concat([first, last]))).toBe(true);
    expect(read.contentType).toBe("application/x-weights");
    await rejectsWith(store.uploadPart(key, uploadId, 3, Buffer.from("late")), "NOT_FOUND");
  }, 60_000);

  it("aborting a multipart upload leaves nothing, and can be repeated", async () => {
    const p = uniquePrefix();
    const key = `${p}/aborted.bin`;
    const uploadId = await store.createMultipartUpload(key);
    const etag = await store.uploadPart(key, uploadId, 1, Buffer.from("part"));
    await store.abortMultipartUpload(key, uploadId);
    expect(await store.stat(key)).toBeNull();
    expect(await store.list(p)).toEqual([]);
    await rejectsWith(store.uploadPart(key, uploadId, 2, Buffer.from("more")), "NOT_FOUND");
    await rejectsWith(store.completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag }]), "NOT_FOUND");
    await store.abortMultipartUpload(key, uploadId);
    await rejectsWith(store.uploadPart(key, "no-such-upload", 1, Buffer.from("x")), "NOT_FOUND");
  });

  it("reads byte ranges", async () => {
    const p = uniquePrefix();
    await store.put(`${p}/digits.txt`, Buffer.from("0123456789"), { contentType: "text/plain" });
    const middle = await store.get(`${p}/digits.txt`, { offset: 2, length: 3 });
    expect((await readAll(middle.body)).toString()).toBe("234");
    expect(middle).toMatchObject({ size: 10, contentType: "text/plain", range: { offset: 2, length: 3 } });
    const tail = await store.get(`${p}/digits.txt`, { offset: 7 });
    expect((await readAll(tail.body)).toString()).toBe("789");
    expect(tail.range).toEqual({ offset: 7, length: 3 });
    const clipped = await store.get(`${p}/digits.txt`, { offset: 8, length: 100 });
    expect((await readAll(clipped.body)).toString()).toBe("89");
    expect(clipped.range).toEqual({ offset: 8, length: 2 });
    await rejectsWith(store.get(`${p}/digits.txt`, { offset: 10 }), "BAD_INPUT");
    await rejectsWith(store.get(`${p}/digits.txt`, { offset: -1 }), "BAD_INPUT");

    await store.put(`${p}/empty`, new Uint8Array(0));
    const empty = await store.get(`${p}/empty`, { offset: 0 });
    expect((await readAll(empty.body)).length).toBe(0);
    expect(empty).toMatchObject({ size: 0, range: { offset: 0, length: 0 } });
    await rejectsWith(store.get(`${p}/empty`, { offset: 0, length: 1 }), "BAD_INPUT");
  });

  it("stores nothing from a failed or mis-sized upload, and keeps the object it would have replaced", async () => {
    const p = uniquePrefix();
    const key = `${p}/artifact.bin`;
    await store.put(key, Buffer.from("original"));
    // Past two 8 MiB blocks, so the S3 backend is inside a multipart upload when the body fails.
    await expect(store.put(key, failingAfter(17 * MiB))).rejects.toThrow("client went away");
    await rejectsWith(store.put(key, Buffer.from("short"), { size: 10 }), "BAD_INPUT");
    await rejectsWith(store.put(key, Buffer.from("much too long"), { size: 4 }), "BAD_INPUT");
    await expect(store.put(`${p}/new.bin`, failingAfter(10))).rejects.toThrow("client went away");

    expect((await readAll((await store.get(key)).body)).toString()).toBe("original");
    expect(await store.list(p)).toEqual([{ path: "artifact.bin", isDir: false, size: 8 }]);
  });

  it("refuses keys that could escape their folder before doing any I/O", async () => {
    const { unreachable } = harness;
    const badKeys = ["../outside", "a/../../b", "/etc/passwd", "a\\..\\b", "a//b", "./a", "a/", "nul\u0000byte", ""];
    for (const key of badKeys) {
      await rejectsWith(unreachable.put(key, Buffer.from("x")), "BAD_INPUT");
      await rejectsWith(unreachable.get(key), "BAD_INPUT");
      await rejectsWith(unreachable.stat(key), "BAD_INPUT");
      await rejectsWith(unreachable.delete(key), "BAD_INPUT");
      await rejectsWith(unreachable.createMultipartUpload(key), "BAD_INPUT");
      await rejectsWith(unreachable.uploadPart(key, "id", 1, Buffer.from("x")), "BAD_INPUT");
      await rejectsWith(unreachable.presignGet(key, 60), "BAD_INPUT");
    }
    for (const folder of ["..", "a/..", "/", "a//b", "a/"]) {
      await rejectsWith(unreachable.list(folder), "BAD_INPUT");
      await rejectsWith(unreachable.deletePrefix(folder), "BAD_INPUT");
    }
    // Malformed requests too: the store checks everything it can before touching storage.
    await rejectsWith(unreachable.uploadPart("a", "id", 0, Buffer.from("x")), "BAD_INPUT");
    await rejectsWith(unreachable.completeMultipartUpload("a", "id", []), "BAD_INPUT");
    await rejectsWith(
      unreachable.completeMultipartUpload("a", "id", [
        { partNumber: 2, etag: "x" },
        { partNumber: 1, etag: "y" },
      ]),
      "BAD_INPUT",
    );
    await rejectsWith(unreachable.get("a", { offset: 1.5 }), "BAD_INPUT");
    await rejectsWith(unreachable.put("a", Buffer.from("x"), { contentType: "text/plain\r\nX-Evil: 1" }), "BAD_INPUT");
    await rejectsWith(unreachable.presignPut("a", 0), "BAD_INPUT");
    // ...and the same store does fail once a valid request reaches storage.
    await expect(unreachable.put("a", Buffer.from("x"))).rejects.not.toBeInstanceOf(AppError);
  });

  it("signs URLs on the public endpoint when it can, or answers null so callers proxy", async () => {
    const p = uniquePrefix();
    await store.put(`${p}/shared.txt`, Buffer.from("via a link"), { contentType: "text/plain" });
    const getUrl = await store.presignGet(`${p}/shared.txt`, 300);
    if (!harness.publicHost) {
      expect(getUrl).toBeNull();
      expect(await store.presignPut(`${p}/x`, 300)).toBeNull();
      expect(await store.presignPart(`${p}/x`, "id", 1, 300)).toBeNull();
      return;
    }
    expect(new URL(getUrl!).host).toBe(harness.publicHost);
    const download = await fetch(getUrl!);
    expect(await download.text()).toBe("via a link");

    const putUrl = await store.presignPut(`${p}/uploaded.txt`, 300);
    expect((await fetch(putUrl!, { method: "PUT", body: "sent directly" })).ok).toBe(true);
    expect((await readAll((await store.get(`${p}/uploaded.txt`)).body)).toString()).toBe("sent directly");

    // The MLflow flow: the client PUTs each part to its own URL, then the server completes.
    const key = `${p}/direct-multipart.bin`;
    const uploadId = await store.createMultipartUpload(key);
    const parts = [randomBytes(MIN_PART_BYTES), Buffer.from("end")];
    const etags: string[] = [];
    for (const [index, part] of parts.entries()) {
      const response = await fetch((await store.presignPart(key, uploadId, index + 1, 300))!, { method: "PUT", body: part });
      expect(response.ok).toBe(true);
      etags.push(response.headers.get("etag")!);
    }
    await store.completeMultipartUpload(key, uploadId, etags.map((etag, index) => ({ partNumber: index + 1, etag })));
    expect((await readAll((await store.get(key)).body)).equals(Buffer.concat(parts))).toBe(true);
  });
});

describe("filesystem store specifics", () => {
  let root: string;
  let store: FilesystemObjectStore;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "tally-artifacts-"));
    store = new FilesystemObjectStore(root);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("enforces S3's minimum part size, so code tested here also works on S3", async () => {
    const uploadId = await store.createMultipartUpload("small/parts.bin");
    const one = await store.uploadPart("small/parts.bin", uploadId, 1, Buffer.from("tiny"));
    const two = await store.uploadPart("small/parts.bin", uploadId, 2, Buffer.from("tail"));
    await rejectsWith(
      store.completeMultipartUpload("small/parts.bin", uploadId, [
        { partNumber: 1, etag: one },
        { partNumber: 2, etag: two },
      ]),
      "BAD_INPUT",
    );
    await rejectsWith(
      store.completeMultipartUpload("small/parts.bin", uploadId, [{ partNumber: 1, etag: "0".repeat(32) }]),
      "BAD_INPUT",
    );
    await store.abortMultipartUpload("small/parts.bin", uploadId);
  });

  it("refuses an object where a folder is, and the reverse (S3 would allow both)", async () => {
    await store.put("clash/a", Buffer.from("file"));
    await rejectsWith(store.put("clash/a/b", Buffer.from("x"), { contentType: "text/plain" }), "CONFLICT");
    await store.put("clash2/a/b", Buffer.from("x"));
    await rejectsWith(store.put("clash2/a", Buffer.from("file")), "CONFLICT");
    await store.put("clash3/a/b", Buffer.from("x"), { contentType: "text/plain" });
    await rejectsWith(store.put("clash3/a", Buffer.from("file")), "CONFLICT");
    await rejectsWith(store.put("clash3/a", Buffer.from("file"), { contentType: "text/csv" }), "CONFLICT");
    expect(await store.list("clash")).toEqual([{ path: "a", isDir: false, size: 4 }]);
    expect(await store.stat("clash3/a/b")).toMatchObject({ contentType: "text/plain" });
  });

  it("leaves no temporary files behind after failures", async () => {
    await expect(store.put("temp/x", failingAfter(100))).rejects.toThrow();
    await rejectsWith(store.put("temp/y", Buffer.from("abc"), { size: 2 }), "BAD_INPUT");
    expect(await readdir(path.join(root, "staging"))).toEqual([]);
  });
});

describe("backend choice", () => {
  it("uses S3 when S3_ENDPOINT is set, and files under TALLY_HOME/artifacts otherwise", () => {
    expect(storeFor(parseEnv({ TALLY_HOME: "/tmp/tally-home" })).kind).toBe("filesystem");
    const s3 = parseEnv({
      S3_ENDPOINT: "http://minio:9000",
      S3_BUCKET: "tally",
      S3_ACCESS_KEY: "key",
      S3_SECRET_KEY: "secret",
    });
    expect(storeFor(s3).kind).toBe("s3");
  });
});
