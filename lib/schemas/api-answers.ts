import { z } from "zod";
import { HTTP_STATUS, type AppErrorCode } from "../errors";
import { MODEL_STAGES, PROMOTION_REQUEST_STATES } from "../model-registry-states";
import { TOKEN_SCOPES } from "../rbac";

/**
 * The answers of Tally's own REST API (`/api/v1`), as they travel: snake_case, times as ISO 8601
 * strings. Route handlers are type-checked against these and, outside production, every answer is
 * checked against them at run time (docs/api.md). Objects are strict: a field that is not documented
 * here is a leak, and fails the check.
 */

const isoTime = z.string().meta({ format: "date-time", description: "ISO 8601 time in UTC" });

/** A double as JSON carries it: NaN and ±Infinity are spelled as strings (docs/mlflow-compat.md, "Wire rules"). */
export const wireDouble = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])]);

const ERROR_CODES = Object.keys(HTTP_STATUS) as [AppErrorCode, ...AppErrorCode[]];

/** Every error: `{ "error": { "code", "message", "request_id" } }`; a refused policy also lists each problem's place. */
export const apiErrorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.enum([...ERROR_CODES, "INTERNAL"]),
      message: z.string(),
      problems: z
        .array(z.strictObject({ line: z.number().int(), column: z.number().int(), path: z.string(), message: z.string() }))
        .optional(),
      request_id: z.string().optional().meta({ description: "The answer's X-Request-Id, also in the server's log line" }),
    }),
  })
  .meta({ id: "Error" });

export const whoamiAnswer = z.strictObject({
  project: z.strictObject({ slug: z.string(), name: z.string() }),
  token: z.strictObject({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(TOKEN_SCOPES)),
    expiresAt: isoTime.nullable(),
  }),
});

export const metricHistoryAnswer = z.strictObject({
  run_id: z.string(),
  key: z.string(),
  buckets: z.array(
    z.strictObject({
      stepMin: z.number().int(),
      stepMax: z.number().int(),
      min: wireDouble.meta({ description: "NaN when every value in the bucket is NaN" }),
      max: wireDouble,
      last: wireDouble,
      lastTimestamp: z.number().int(),
      count: z.number().int(),
    }),
  ),
});

const stageOrAliasWire = z.union([z.strictObject({ stage: z.enum(MODEL_STAGES) }), z.strictObject({ alias: z.string() })]);

export const holdersAnswer = z.strictObject({
  model: z.string(),
  target: stageOrAliasWire,
  at: isoTime,
  holders: z.array(
    z.strictObject({
      version: z.number().int(),
      since: isoTime,
      moved_by: z.string(),
      request_id: z.string().nullable(),
      event_id: z.string(),
    }),
  ),
});

const ruleDirection = z.enum(["higher", "lower", "equal"]);

const evidenceSide = z.strictObject({
  version: z.number().int(),
  stage: z.enum(MODEL_STAGES),
  runId: z.string().nullable(),
  runName: z.string().nullable(),
  gitCommit: z.string().nullable(),
  datasets: z.array(z.strictObject({ name: z.string(), digest: z.string(), context: z.string().nullable(), sourceType: z.string() })),
  cardFilled: z.array(z.string()),
  cardMissing: z.array(z.string()),
});

const evidenceCheck = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("metric"),
    passed: z.boolean(),
    rule: z.string(),
    metric: z.string(),
    direction: ruleDirection,
    candidate: wireDouble.nullable(),
    current: wireDouble.nullable(),
    threshold: wireDouble.nullable(),
    detail: z.string(),
  }),
  z.strictObject({ kind: z.literal("card"), passed: z.boolean(), missing: z.array(z.string()), detail: z.string() }),
  z.strictObject({ kind: z.literal("dataset"), passed: z.boolean(), detail: z.string() }),
  z.strictObject({ kind: z.literal("freeze"), passed: z.boolean(), detail: z.string() }),
]);

/** What approvers decide on, stored with the request as it was when made (camelCase, as stored). */
const promotionEvidence = z.strictObject({
  computedAt: isoTime,
  candidate: evidenceSide,
  holder: evidenceSide.nullable(),
  metrics: z.array(
    z.strictObject({ key: z.string(), candidate: wireDouble.nullable(), holder: wireDouble.nullable(), direction: ruleDirection.nullable() }),
  ),
  params: z.array(z.strictObject({ key: z.string(), candidate: z.string().nullable(), holder: z.string().nullable() })),
  checks: z.array(evidenceCheck),
  checksPass: z.boolean(),
});

export const promotionRequestWireSchema = z
  .strictObject({
    id: z.string(),
    url: z.string().meta({ description: "The request's page in the web app" }),
    model: z.string(),
    version: z.number().int(),
    target: stageOrAliasWire,
    archive_existing: z.boolean(),
    state: z.enum(PROMOTION_REQUEST_STATES),
    requester: z.string(),
    comment: z.string(),
    required_approvals: z.number().int(),
    approvals: z.number().int(),
    decisions: z.array(
      z.strictObject({ by: z.string(), role: z.string(), decision: z.enum(["APPROVE", "REJECT"]), comment: z.string(), at: isoTime }),
    ),
    evidence: promotionEvidence,
    created_at: isoTime,
    expires_at: isoTime,
    decided_at: isoTime.nullable(),
    resolution: z.string().nullable(),
  })
  .meta({ id: "PromotionRequest" });

export const promotionRequestAnswer = z.strictObject({ request: promotionRequestWireSchema });
export const promotionRequestListAnswer = z.strictObject({
  requests: z.array(promotionRequestWireSchema),
  next_cursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last one" }),
});

const lineageNode = z
  .strictObject({
    id: z.string().meta({ description: "dataset:<name>@<digest>, run:<id>, model:<m-…>, version:<model>/<n>, job:<id>, alias:<model>@<alias> or stage:<model>/<stage>" }),
    kind: z.enum(["dataset", "run", "model", "version", "job", "alias", "stage"]),
    label: z.string(),
    detail: z.string().nullable(),
    path: z.string().nullable().meta({ description: "The node's page, relative to /projects/<slug>" }),
    depth: z.number().int(),
  })
  .meta({ id: "LineageNode" });

export const lineageGraphAnswer = z.strictObject({
  root: z.string(),
  direction: z.enum(["upstream", "downstream", "both"]),
  depth: z.number().int(),
  nodes: z.array(lineageNode),
  edges: z.array(
    z.strictObject({
      from: z.string(),
      to: z.string(),
      kind: z.enum(["input", "output", "parent", "produced", "registered", "base_model", "openlineage", "holds"]),
      context: z.string().nullable(),
    }),
  ),
  truncated: z.boolean(),
});

const impactItem = z.strictObject({
  node: lineageNode,
  path: z.array(z.string()),
  holders: z.array(z.strictObject({ kind: z.enum(["alias", "stage"]), name: z.string() })),
});

export const lineageImpactAnswer = z.strictObject({
  sources: z.array(lineageNode),
  runs: z.array(impactItem),
  logged_models: z.array(impactItem),
  model_versions: z.array(impactItem),
  other: z.array(impactItem),
  holding: z.number().int(),
  truncated: z.boolean(),
});

/** The approval policy in its JSON shape (docs/approval-policy.md). */
export const policyDocumentAnswer = z.strictObject({
  version: z.number().int(),
  request_expiry_days: z.number().int(),
  targets: z.array(
    z.strictObject({
      stage: z.string().optional(),
      alias: z.string().optional(),
      gated: z.literal(false).optional(),
      approvers: z.array(z.string()).optional(),
      approvals: z.number().int().optional(),
      allow_self_approval: z.boolean().optional(),
      checks: z.array(z.string()).optional(),
      card_sections: z.array(z.string()).optional(),
      dataset_with_digest: z.literal(true).optional(),
      freeze: z.array(z.strictObject({ from: z.string(), to: z.string(), reason: z.string().optional() })).optional(),
    }),
  ),
});

export const markdownText = z.string().meta({ description: "Markdown with YAML front matter" });

/** A DVC import (docs/dvc.md): `node` is the lineage graph's id of each stage's job run and each dataset version. */
export const dvcImportAnswer = z.strictObject({
  namespace: z.string(),
  stages: z.array(z.strictObject({ name: z.string(), node: z.string(), created: z.boolean(), inputs: z.array(z.string()), outputs: z.array(z.string()) })),
  dataset_versions: z.array(z.strictObject({ name: z.string(), digest: z.string(), node: z.string(), created: z.boolean() })),
  counts: z.strictObject({
    stages: z.number().int(),
    job_runs_created: z.number().int(),
    dataset_versions_created: z.number().int(),
    dataset_versions_known: z.number().int(),
    edges_created: z.number().int(),
  }),
});
