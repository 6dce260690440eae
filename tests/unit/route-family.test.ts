import { describe, expect, it } from "vitest";
import { requestIdFrom } from "@/server/observability/request-context";
import { apiV1Templates } from "@/server/http/rest-routes";
import { routeFamilies } from "@/server/observability/route-family";

describe("route families", () => {
  const familyOf = routeFamilies(apiV1Templates());

  it("name each /api/v1 route by its template, read from the route table", () => {
    expect(apiV1Templates()).toEqual(expect.arrayContaining(["whoami", "runs/:runId/metric-history", "projects/:slug/lineage/impact"]));
    expect(familyOf("/api/v1/runs/3f2a9c/metric-history")).toBe("api_v1:runs/:runId/metric-history");
    expect(familyOf("/api/v1/projects/vision/lineage/impact")).toBe("api_v1:projects/:slug/lineage/impact");
    expect(familyOf("/api/v1/projects/vision/lineage")).toBe("api_v1:projects/:slug/lineage");
    expect(familyOf("/api/v1/models/my%20model/versions/3/card.md")).toBe("api_v1:models/:name/versions/:version/card.md");
    expect(familyOf("/api/v1/no/such/route")).toBe("api_v1:unknown");
  });

  it("put artifacts, tRPC, MLflow, pages and everything else in fixed families, never a slug or an id", () => {
    expect(familyOf("/api/2.0/mlflow/runs/log-batch")).toBe("mlflow:unknown");
    expect(familyOf("/projects/vision/api/2.0/mlflow/runs/get")).toBe("mlflow:unknown");
    expect(familyOf("/api/2.0/mlflow-artifacts/artifacts/1/abc/model.pkl")).toBe("artifacts");
    expect(familyOf("/projects/vision/api/2.0/mlflow-artifacts/artifacts/x")).toBe("artifacts");
    expect(familyOf("/projects/vision/runs/abc/artifact")).toBe("artifacts");
    expect(familyOf("/projects/vision/models/clf/versions/2/artifact")).toBe("artifacts");
    expect(familyOf("/api/trpc/runs.list,projects.list")).toBe("trpc");
    expect(familyOf("/projects/vision/runs/abc")).toBe("pages");
    expect(familyOf("/")).toBe("pages");
    for (const other of ["/api/health/ready", "/metrics", "/health", "/projects/vision/health", "/api/auth/session", "/_next/static/chunks/a.js", "/favicon.ico"]) {
      expect(familyOf(other), other).toBe("other");
    }
  });
});

describe("request ids", () => {
  it("keep a plain incoming id and replace anything else with a fresh UUID", () => {
    expect(requestIdFrom("4bf92f3577b34da6a3ce929d0e0e4736")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(requestIdFrom(["lb-7.abc:1", "second"])).toBe("lb-7.abc:1");
    const uuid = /^[0-9a-f-]{36}$/;
    for (const bad of [undefined, "", "has space", 'quote"', "x".repeat(129), "-leading-dash"]) expect(requestIdFrom(bad)).toMatch(uuid);
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});
