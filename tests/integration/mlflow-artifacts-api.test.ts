import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleMlflowRequest } from "@/server/http/mlflow/handle-request";
import { handleMlflowArtifactsRequest } from "@/server/http/mlflow-artifacts/handle-request";
import { serverInfoResponse } from "@/server/http/probes";
import { resolveProjectAccess } from "@/server/services/access";
import { createToken } from "@/server/services/api-tokens";
import { createRun } from "@/server/services/runs";
import { useArtifactStore } from "@/server/storage";
import { FilesystemObjectStore } from "@/server/storage/fs-store";
import { S3ObjectStore } from "@/server/storage/s3-store";
import { createProjectWithToken, systemActor } from "../factories";
import { startS3Server } from "../support/s3-server";

/**
 * The MLflow proxied-artifact API through its real request handler, once per storage backend:
 * what a client PUTs is what it GETs and lists, paths never escape the project, and scopes hold.
 */
const BASE = "http://tally.test";

const backends = [
  {
    name: "filesystem",
    async start() {
      const root = await mkdtemp(path.join(os.tmpdir(), "tally-artifact-api-"));
      return { store: new FilesystemObjectStore(root), multipart: false, stop: () => rm(root, { recursive: true, force: true }) };
    },
  },
  {
    name: "S3 (s3rver)",
    async start() {
      const server = await startS3Server();
      const store = new S3ObjectStore({
        endpoint: server.endpoint,
        publicEndpoint: server.endpoint,
        bucket: "tally-artifact-api",
        region: "us-east-1",
        accessKey: server.accessKey,
        secretKey: server.secretKey,
        pathStyle: true,
      });
      return { store, multipart: true, stop: () => server.stop() };
    },
  },
];

function call(method: string, url: string, token: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) {
  const request = new Request(`${BASE}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...init.headers },
    body: init.body,
    ...(init.body ? { duplex: "half" } : {}),
  } as RequestInit);
  const slug = /^\/projects\/([^/]+)\//.exec(url)?.[1];
  return handleMlflowArtifactsRequest(request, slug);
}

async function project() {
  const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
  const access = await resolveProjectAccess(systemActor, project.slug);
  const run = await createRun(access, { experimentId: "0", tags: [] });
  const root = `0/${run.id}/artifacts`;
  const readOnly = (await createToken(access, { name: "reader", scopes: ["read"] })).plaintext;
  return { slug: project.slug, token: plaintext, readOnly, runId: run.id, root, prefix: `/projects/${project.slug}/api/2.0/mlflow-artifacts` };
}

describe.each(backends)("MLflow artifact API on $name", (backend) => {
  let stop: () => Promise<void>;
  let multipart: boolean;
  beforeAll(async () => {
    const started = await backend.start();
    useArtifactStore(started.store);
    stop = started.stop;
    multipart = started.multipart;
  });
  afterAll(() => stop());

  it("stores what is PUT, serves it back with its type and length, and lists it", async () => {
    const p = await project();
    const put = await call("PUT", `${p.prefix}/artifacts/${p.root}/eval/metrics.json`, p.token, {
      body: '{"acc": 0.9}',
      headers: { "content-type": "application/json" },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({});

    const got = await call("GET", `${p.prefix}/artifacts/${p.root}/eval/metrics.json`, p.token);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("application/json");
    expect(got.headers.get("content-length")).toBe("12");
    expect(got.headers.get("content-disposition")).toContain("metrics.json");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await got.text()).toBe('{"acc": 0.9}');

    const root = await call("GET", `${p.prefix}/artifacts?path=${encodeURIComponent(p.root)}`, p.token);
    expect(await root.json()).toEqual({ files: [{ path: "eval", is_dir: true }] });
    const folder = await call("GET", `${p.prefix}/artifacts?path=${encodeURIComponent(`${p.root}/eval`)}`, p.token);
    expect(await folder.json()).toEqual({ files: [{ path: "metrics.json", is_dir: false, file_size: 12 }] });
  });

  it("tells the client whether it may use multipart transfers, as MLflow's server-info does", async () => {
    const info = await serverInfoResponse().json();
    expect(info).toMatchObject({ multipart_uploads_enabled: multipart, multipart_downloads_enabled: multipart });
  });

  it("lists a missing folder as empty and answers a missing file with a JSON 404", async () => {
    const p = await project();
    const missing = await call("GET", `${p.prefix}/artifacts?path=${encodeURIComponent(`${p.root}/model`)}`, p.token);
    expect(missing.status).toBe(200);
    expect(await missing.json()).toEqual({ files: [] });
    const absent = await call("GET", `${p.prefix}/artifacts/${p.root}/nope.txt`, p.token);
    expect(absent.status).toBe(404);
    const error = await absent.json();
    expect(error.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    // The message names the artifact as the client knows it, not the storage key (no internal ids).
    expect(error.message).toBe(`No artifact stored at "${p.root}/nope.txt"`);
  });

  it("serves byte ranges, including suffix ranges", async () => {
    const p = await project();
    await call("PUT", `${p.prefix}/artifacts/${p.root}/digits.txt`, p.token, { body: "0123456789" });
    const middle = await call("GET", `${p.prefix}/artifacts/${p.root}/digits.txt`, p.token, { headers: { range: "bytes=2-5" } });
    expect(middle.status).toBe(206);
    expect(middle.headers.get("content-range")).toBe("bytes 2-5/10");
    expect(await middle.text()).toBe("2345");
    const tail = await call("GET", `${p.prefix}/artifacts/${p.root}/digits.txt`, p.token, { headers: { range: "bytes=-3" } });
    expect(await tail.text()).toBe("789");
    const past = await call("GET", `${p.prefix}/artifacts/${p.root}/digits.txt`, p.token, { headers: { range: "bytes=50-" } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe("bytes */10");
  });

  it("deletes a file and a whole folder", async () => {
    const p = await project();
    for (const name of ["a.txt", "sub/b.txt", "sub/c.txt"]) {
      await call("PUT", `${p.prefix}/artifacts/${p.root}/${name}`, p.token, { body: name });
    }
    expect((await call("DELETE", `${p.prefix}/artifacts/${p.root}/a.txt`, p.readOnly)).status).toBe(403);
    expect((await call("DELETE", `${p.prefix}/artifacts/${p.root}/a.txt`, p.token)).status).toBe(200);
    expect((await call("DELETE", `${p.prefix}/artifacts/${p.root}/sub`, p.token)).status).toBe(200);
    const listed = await call("GET", `${p.prefix}/artifacts?path=${encodeURIComponent(p.root)}`, p.token);
    expect(await listed.json()).toEqual({ files: [] });
  });

  it("refuses traversal and encoded tricks with a 400, writing nothing", async () => {
    const p = await project();
    // "../" and "%2e%2e/" never reach a handler: URL parsing (the client's and Next's) resolves them
    // as dot segments first. What survives parsing must be refused here.
    const tricks = [
      `${p.root}/%2e%2e%2f%2e%2e%2fescape.txt`,
      `${p.root}/%252e%252e/escape.txt`,
      `${p.root}/a%5c..%5cescape.txt`,
      "%2fetc%2fpasswd",
      "C:%5cwindows%5cescape.txt",
    ];
    for (const trick of tricks) {
      const response = await call("PUT", `${p.prefix}/artifacts/${trick}`, p.token, { body: "x" });
      expect(response.status, trick).toBe(400);
      expect((await response.json()).error_code).toBe("INVALID_PARAMETER_VALUE");
    }
    const escaped = await call("GET", `${p.prefix}/artifacts?path=..`, p.token);
    expect(escaped.status).toBe(400);
    const listed = await call("GET", `${p.prefix}/artifacts?path=${encodeURIComponent(p.root)}`, p.token);
    expect(await listed.json()).toEqual({ files: [] });
  });

  it("refuses a malformed percent-escape in an artifact path with a 400 naming it, on download, upload and list", async () => {
    const p = await project();
    await call("PUT", `${p.prefix}/artifacts/${p.root}/kept.txt`, p.token, { body: "kept" });
    for (const malformed of ["%zz", "%E0%A4%A", "100%"]) {
      const refusals = [
        await call("GET", `${p.prefix}/artifacts/${p.root}/${malformed}.txt`, p.token),
        await call("PUT", `${p.prefix}/artifacts/${p.root}/${malformed}.txt`, p.token, { body: "x" }),
        await call("GET", `${p.prefix}/artifacts?path=${p.root}/${malformed}`, p.token),
      ];
      for (const response of refusals) {
        expect(response.status, malformed).toBe(400);
        const error = await response.json();
        expect(error.error_code).toBe("INVALID_PARAMETER_VALUE");
        expect(error.message).toContain("not valid percent-encoding");
      }
    }
    const listed = await call("GET", `${p.prefix}/artifacts?path=${encodeURIComponent(p.root)}`, p.token);
    expect(await listed.json()).toEqual({ files: [{ path: "kept.txt", is_dir: false, file_size: 4 }] });
  });

  it("keeps projects apart: another project's token is refused, and the bare URL only sees the token's project", async () => {
    const mine = await project();
    const theirs = await project();
    await call("PUT", `${mine.prefix}/artifacts/${mine.root}/secret.txt`, mine.token, { body: "mine" });
    expect((await call("GET", `${mine.prefix}/artifacts/${mine.root}/secret.txt`, theirs.token)).status).toBe(404);
    const bare = await call("GET", `/api/2.0/mlflow-artifacts/artifacts/${mine.root}/secret.txt`, theirs.token);
    expect(bare.status).toBe(404);
    const bareMine = await call("GET", `/api/2.0/mlflow-artifacts/artifacts/${mine.root}/secret.txt`, mine.token);
    expect(await bareMine.text()).toBe("mine");
  });

  it("requires write scope to upload and a valid token for everything", async () => {
    const p = await project();
    const readOnly = await call("PUT", `${p.prefix}/artifacts/${p.root}/x.txt`, p.readOnly, { body: "x" });
    expect(readOnly.status).toBe(403);
    expect((await call("GET", `${p.prefix}/artifacts?path=${p.root}`, "tly_bogus_token")).status).toBe(401);
    expect(await (await call("GET", `${p.prefix}/artifacts?path=${encodeURIComponent(p.root)}`, p.token)).json()).toEqual({ files: [] });
  });

  it("streams a 64 MiB upload and download byte for byte", async () => {
    const p = await project();
    const chunk = randomBytes(1024 * 1024);
    const total = 64;
    const expected = createHash("sha256");
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === total) return controller.close();
        sent += 1;
        expected.update(chunk);
        controller.enqueue(new Uint8Array(chunk));
      },
    });
    let sent = 0;
    const put = await call("PUT", `${p.prefix}/artifacts/${p.root}/big.bin`, p.token, {
      body,
      headers: { "content-length": String(total * chunk.length) },
    });
    expect(put.status).toBe(200);
    const got = await call("GET", `${p.prefix}/artifacts/${p.root}/big.bin`, p.token);
    const actual = createHash("sha256");
    let length = 0;
    for await (const piece of got.body as unknown as AsyncIterable<Uint8Array>) {
      actual.update(piece);
      length += piece.length;
    }
    expect(length).toBe(total * chunk.length);
    expect(actual.digest("hex")).toBe(expected.digest("hex"));
  }, 60_000);

  it("refuses a body shorter than its Content-Length and keeps no partial file", async () => {
    const p = await project();
    const response = await call("PUT", `${p.prefix}/artifacts/${p.root}/short.bin`, p.token, {
      body: "abc",
      headers: { "content-length": "10" },
    });
    expect(response.status).toBe(400);
    expect((await call("GET", `${p.prefix}/artifacts/${p.root}/short.bin`, p.token)).status).toBe(404);
  });

  it("runs MLflow's multipart protocol where the store can sign part URLs, and declines it in JSON elsewhere", async () => {
    const p = await project();
    const create = await call("POST", `${p.prefix}/mpu/create/${p.root}/weights`, p.token, {
      body: JSON.stringify({ path: "/tmp/local/model.bin", num_parts: 2 }),
      headers: { "content-type": "application/json" },
    });
    if (!multipart) {
      expect(create.status).toBe(501);
      const error = await create.json();
      expect(error.error_code).toBe("NOT_IMPLEMENTED");
      expect(error.message).toMatch(/^Multipart upload is not supported for the current artifact repository/);
      return;
    }
    expect(create.status).toBe(200);
    const created = (await create.json()) as { upload_id: string; credentials: { url: string; part_number: number }[] };
    expect(created.credentials.map((credential) => credential.part_number)).toEqual([1, 2]);
    const first = randomBytes(5 * 1024 * 1024);
    const second = randomBytes(1000);
    const parts = [];
    for (const [index, data] of [first, second].entries()) {
      const uploaded = await fetch(created.credentials[index]!.url, { method: "PUT", body: new Uint8Array(data) });
      expect(uploaded.status).toBe(200);
      parts.push({ part_number: index + 1, etag: uploaded.headers.get("etag") ?? "" });
    }
    const complete = await call("POST", `${p.prefix}/mpu/complete/${p.root}/weights`, p.token, {
      body: JSON.stringify({ path: "/tmp/local/model.bin", upload_id: created.upload_id, parts }),
    });
    expect(complete.status).toBe(200);
    const got = await call("GET", `${p.prefix}/artifacts/${p.root}/weights/model.bin`, p.token);
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.concat([first, second]))).toBe(true);
  }, 60_000);

  it("signs presigned downloads as inert attachments: an uploaded HTML page never renders from the bucket", async () => {
    const p = await project();
    const page = "<html><body><script>document.title = 'pwned'</script></body></html>";
    const put = await call("PUT", `${p.prefix}/artifacts/${p.root}/report "q".html`, p.token, {
      body: page,
      headers: { "content-type": "text/html" },
    });
    expect(put.status).toBe(200);
    const presigned = await call("GET", `${p.prefix}/presigned/${p.root}/report "q".html`, p.token);
    if (!multipart) {
      expect(presigned.status).toBe(501);
      return;
    }
    expect(presigned.status).toBe(200);
    const { url } = (await presigned.json()) as { url: string };
    const signed = new URL(url).searchParams;
    expect(signed.get("response-content-disposition")).toMatch(/^attachment; filename="report _q_.html"/);
    expect(signed.get("response-content-type")).toBe("application/octet-stream");
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="report _q_.html"/);
    expect(download.headers.get("content-type")).toBe("application/octet-stream");
    expect(await download.text()).toBe(page);
  });

  it("lists a run's artifacts through GET /api/2.0/mlflow/artifacts/list relative to the run", async () => {
    const p = await project();
    await call("PUT", `${p.prefix}/artifacts/${p.root}/plots/loss.png`, p.token, { body: "png" });
    const request = (query: string) =>
      handleMlflowRequest(
        new Request(`${BASE}/projects/${p.slug}/api/2.0/mlflow/artifacts/list?${query}`, { headers: { authorization: `Bearer ${p.token}` } }),
        { projectSlug: p.slug, segments: ["artifacts", "list"] },
      );
    const top = await (await request(`run_id=${p.runId}`)).json();
    expect(top).toEqual({ root_uri: `mlflow-artifacts:/${p.root}`, files: [{ path: "plots", is_dir: true }] });
    const nested = await (await request(`run_id=${p.runId}&path=plots`)).json();
    expect(nested.files).toEqual([{ path: "plots/loss.png", is_dir: false, file_size: 3 }]);
    const escape = await request(`run_id=${p.runId}&path=../..`);
    expect(escape.status).toBe(400);
  });
});
