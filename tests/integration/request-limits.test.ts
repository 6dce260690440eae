import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPC_MAX_BATCH_SIZE, TRPC_MAX_BODY_BYTES } from "@/lib/trpc-limits";
import { db } from "@/server/db/client";
import { pgPool } from "@/server/db/pool";
import { handleMlflowRequest } from "@/server/http/mlflow/handle-request";
import { mlflowErrorResponse } from "@/server/http/mlflow/wire";
import { handleTrpcRequest } from "@/server/trpc/http-handler";
import { createProjectWithToken, mlflowCaller, uniqueSuffix } from "../factories";

/**
 * One request must not be able to make the server read, hold or compute without bound. This file's
 * configuration (a 1 MiB API body limit, a 60 s statement timeout) is set before anything reads it.
 */
process.env.TALLY_MAX_BODY_MB = "1";
process.env.TALLY_STATEMENT_TIMEOUT_MS = "60000";
const MIB = 1024 * 1024;

let project: Awaited<ReturnType<typeof createProjectWithToken>>;
beforeAll(async () => {
  project = await createProjectWithToken("MEMBER", ["read", "write"]);
});

function mlflowRequest(endpoint: string, body: BodyInit, headers: Record<string, string> = {}) {
  return handleMlflowRequest(
    new Request(`http://tally.test/projects/${project.project.slug}/api/2.0/mlflow/${endpoint}`, {
      method: "POST",
      headers: { authorization: `Bearer ${project.plaintext}`, "content-type": "application/json", ...headers },
      body,
      duplex: "half",
    } as RequestInit),
    { projectSlug: project.project.slug, segments: endpoint.split("/") },
  );
}

/** A body of `chunks` MiB that counts how much of it the server pulled. */
function countedStream(chunks: number, prefix: string) {
  const pulled = { bytes: 0 };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunks) return controller.close();
      const chunk = new TextEncoder().encode(sent === 0 ? prefix.padEnd(MIB, " ") : " ".repeat(MIB));
      sent++;
      pulled.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled };
}

describe("MLflow API request bodies", () => {
  it("answers 413 in MLflow's error format for a declared Content-Length over the limit, reading nothing, writing nothing", async () => {
    const call = mlflowCaller(project.project.slug, project.plaintext);
    const run = (await call("POST", "runs/create", { experiment_id: "0" })).body as { run: { info: { run_id: string } } };
    const runId = run.run.info.run_id;
    const { stream, pulled } = countedStream(64, `{"run_id":"${runId}","metrics":[{"key":"m","value":1,"timestamp":1,"step":0}],"pad":"`);
    const response = await mlflowRequest("runs/log-batch", stream, { "content-length": String(64 * MIB) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error_code: "REQUEST_LIMIT_EXCEEDED",
      message: "The request body is larger than this server's limit of 1 MiB",
    });
    expect(pulled.bytes).toBeLessThanOrEqual(2 * MIB);
    expect(await db().latestMetric.count({ where: { run: { id: runId } } })).toBe(0);
  });

  it("stops reading a body without a length as soon as it passes the limit", async () => {
    const { stream, pulled } = countedStream(64, `{"name":"big-${uniqueSuffix()}","pad":"`);
    const response = await mlflowRequest("experiments/create", stream);
    expect(response.status).toBe(413);
    expect(pulled.bytes).toBeLessThanOrEqual(3 * MIB);
    expect((await response.json()).error_code).toBe("REQUEST_LIMIT_EXCEEDED");
  });

  it("still takes MLflow's largest legitimate batch, and gives runs/log-inputs room for dataset profiles", async () => {
    const call = mlflowCaller(project.project.slug, project.plaintext);
    const run = (await call("POST", "runs/create", { experiment_id: "0" })).body as { run: { info: { run_id: string } } };
    const runId = run.run.info.run_id;
    const metrics = Array.from({ length: 1000 }, (_, step) => ({ key: "loss_of_a_longish_metric_name", value: 1 / (step + 1), timestamp: 1_700_000_000_000 + step, step }));
    expect((await call("POST", "runs/log-batch", { run_id: runId, metrics })).status).toBe(200);
    const profile = "p".repeat(3 * MIB);
    const dataset = { name: "big", digest: "d1", source_type: "local", source: "/data", profile };
    const inputs = await call("POST", "runs/log-inputs", { run_id: runId, datasets: [{ dataset, tags: [] }] });
    expect(inputs.status).toBe(200);
  });
});

describe("tRPC over HTTP", () => {
  const trpcPost = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    handleTrpcRequest(
      new Request(`http://tally.example/api/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", host: "tally.example", ...headers },
        body,
        duplex: "half",
      } as RequestInit),
    );

  it("refuses a body over its limit before tRPC reads it", async () => {
    const { stream, pulled } = countedStream(16, `{"json":{"email":"x@example.test","password":"`);
    const response = await trpcPost("account.signUp", stream);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { code: "PAYLOAD_TOO_LARGE", message: `The request body is larger than this server's limit of ${TRPC_MAX_BODY_BYTES / MIB} MiB` },
    });
    expect(pulled.bytes).toBeLessThanOrEqual(3 * MIB);
  });

  it("refuses a batch of more calls than the web app ever sends, creating no account", async () => {
    const count = TRPC_MAX_BATCH_SIZE + 1;
    const emails = Array.from({ length: count }, () => `batch-${uniqueSuffix()}@example.test`);
    const body = Object.fromEntries(emails.map((email, index) => [index, { json: { email, password: "a-long-enough-password" } }]));
    const response = await trpcPost(`${Array(count).fill("account.signUp").join(",")}?batch=1`, JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("Batch call exceeds maximum size");
    expect(await db().user.count({ where: { email: { in: emails } } })).toBe(0);
  });

  it("writes refused cross-site requests to the audit log", async () => {
    const path = `account.signUp`;
    const origin = `https://evil-${uniqueSuffix()}.example`;
    const response = await trpcPost(path, "{}", { origin, "x-tally-peer-address": "203.0.113.77" });
    expect(response.status).toBe(403);
    const events = await db().auditEvent.findMany({ where: { action: "request.refused", resourceId: `/api/trpc/${path}` } });
    const event = events.find((candidate) => (candidate.after as { origin?: string }).origin === origin);
    expect(event).toMatchObject({ projectId: null, actorType: "ANONYMOUS", actorLabel: "anonymous (203.0.113.77)" });
    expect(event!.after).toMatchObject({ reason: "cross-site", address: "203.0.113.77" });
  });
});

describe("the database statement timeout", () => {
  afterAll(async () => {
    await pgPool().query("SELECT 1");
  });

  it("is set on every pooled connection, Prisma's and the raw pool's", async () => {
    expect((await pgPool().query<{ statement_timeout: string }>("SHOW statement_timeout")).rows[0]!.statement_timeout).toBe("1min");
    const [prisma] = await db().$queryRaw<{ statement_timeout: string }[]>`SHOW statement_timeout`;
    expect(prisma!.statement_timeout).toBe("1min");
  });

  it("turns a cancelled statement into a clear, retryable MLflow error instead of a 500", async () => {
    const failures: unknown[] = [];
    const client = await pgPool().connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL statement_timeout = 50");
      await client.query("SELECT pg_sleep(2)").catch((error: unknown) => failures.push(error));
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
    await db()
      .$transaction(async (tx) => {
        await tx.$executeRaw`SET LOCAL statement_timeout = 50`;
        await tx.$queryRaw`SELECT pg_sleep(2)`;
      })
      .catch((error: unknown) => failures.push(error));
    expect(failures).toHaveLength(2);
    for (const failure of failures) {
      const response = mlflowErrorResponse(failure);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error_code: string; message: string };
      expect(body.error_code).toBe("TEMPORARILY_UNAVAILABLE");
      expect(body.message).toMatch(/stopped this request after 60000 ms \(TALLY_STATEMENT_TIMEOUT_MS\)/);
    }
  });
});
