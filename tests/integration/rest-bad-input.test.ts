import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { POST as postLineage } from "@/app/api/v1/lineage/route";
import { GET as holdersRoute } from "@/app/api/v1/projects/[slug]/models/[name]/holders/route";
import { GET as listPromotionRequests } from "@/app/api/v1/projects/[slug]/promotion-requests/route";
import { db } from "@/server/db/client";
import { createProjectWithToken, mlflowRequest } from "../factories";

/**
 * Bad input the API fuzzer (compat/test_fuzz_api.py) found answered with a 500: each is now the
 * documented 400, naming the field, with nothing changed.
 */

describe("a NUL character (\\u0000), which PostgreSQL text cannot hold", () => {
  it("in a query parameter of Tally's API is a 400 naming the parameter", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read"]);
    const response = await listPromotionRequests(
      new Request(`http://t/api/v1/projects/${project.slug}/promotion-requests?model=${encodeURIComponent("fraud\u0000model")}`, {
        headers: { authorization: `Bearer ${plaintext}` },
      }),
      { params: Promise.resolve({ slug: project.slug }) },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "BAD_INPUT", message: "model: must not contain the NUL character (\\u0000)" } });
  });

  it("in a JSON body of the MLflow API is INVALID_PARAMETER_VALUE naming the field, and creates nothing", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const target = { projectSlug: project.slug, token: plaintext };
    const created = await mlflowRequest(target, "POST", "experiments/create", { name: "churn", tags: [{ key: "team", value: "risk\u0000" }] });
    expect(created).toEqual({
      status: 400,
      body: { error_code: "INVALID_PARAMETER_VALUE", message: "tags.0.value: must not contain the NUL character (\\u0000)" },
    });
    expect((await mlflowRequest(target, "GET", "experiments/get-by-name", { experiment_name: "churn" })).status).toBe(404);
  });

  it("in a query parameter of the MLflow API is INVALID_PARAMETER_VALUE naming the parameter", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read"]);
    const found = await mlflowRequest({ projectSlug: project.slug, token: plaintext }, "GET", "registered-models/get", { name: "model\u0000" });
    expect(found).toEqual({
      status: 400,
      body: { error_code: "INVALID_PARAMETER_VALUE", message: "name: must not contain the NUL character (\\u0000)" },
    });
  });
});

describe("a time PostgreSQL cannot read as a timestamptz, which zod's ISO format allows", () => {
  it("as an OpenLineage eventTime (offset +17:16) is a 400 naming eventTime, and stores nothing", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read", "write"]);
    const event = {
      eventType: "COMPLETE",
      eventTime: "2026-04-04T16:02:20+17:16",
      producer: "https://example.test/producer",
      schemaURL: "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
      run: { runId: randomUUID() },
      job: { namespace: "airflow", name: "prepare" },
    };
    const response = await postLineage(
      new Request("http://t/api/v1/lineage", { method: "POST", headers: { authorization: `Bearer ${plaintext}` }, body: JSON.stringify(event) }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toBe("eventTime: must have a year from 0001 to 9999 and an offset within ±14:00");
    expect(await db().openLineageEvent.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("as the moment of a holders query (year 0000) is a 400 naming at", async () => {
    const { project, plaintext } = await createProjectWithToken("MEMBER", ["read"]);
    const response = await holdersRoute(
      new Request(`http://t/api/v1/projects/${project.slug}/models/m/holders?target=Production&at=0000-01-01T00:00:00Z`, {
        headers: { authorization: `Bearer ${plaintext}` },
      }),
      { params: Promise.resolve({ slug: project.slug, name: "m" }) },
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toBe("at: at must have a year from 0001 to 9999 and an offset within ±14:00");
  });
});
