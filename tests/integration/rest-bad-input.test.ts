import { describe, expect, it } from "vitest";
import { GET as listPromotionRequests } from "@/app/api/v1/projects/[slug]/promotion-requests/route";
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
