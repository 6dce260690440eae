import { z } from "zod";
import { STORABLE_ISO_TIME, storableIsoTime } from "./iso-time";

/**
 * OpenLineage RunEvents as `POST /api/v1/lineage` accepts them (spec 2-0-2,
 * https://openlineage.io/spec/2-0-2/OpenLineage.json; docs/openlineage.md). Objects are open, as the
 * spec's are: unknown fields and custom facets pass through and are stored with the event. The facets
 * Tally reads must have the spec's shape when present.
 */

/** Events are small; a megabyte leaves room for wide schema facets and long SQL. */
export const MAX_OPENLINEAGE_EVENT_BYTES = 1024 * 1024;
export const MAX_OPENLINEAGE_DATASETS = 2_000;
/** JSON nesting allowed anywhere in an event: deep enough for nested schemas, shallow enough to walk safely. */
export const MAX_OPENLINEAGE_NESTING = 64;
const MAX_NAME_LENGTH = 1_000;
const MAX_DIGEST_LENGTH = 500;

export const OPENLINEAGE_EVENT_TYPES = ["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"] as const;
export type OpenLineageEventType = (typeof OPENLINEAGE_EVENT_TYPES)[number];

const LIFECYCLE_STATE_CHANGES = ["ALTER", "CREATE", "DROP", "OVERWRITE", "RENAME", "TRUNCATE"] as const;

const uri = z.url({ error: (issue) => (issue.input === undefined ? "required" : "must be a URI") });
const runId = z.guid({ error: (issue) => (issue.input === undefined ? "required" : "must be a UUID") });
const name = z.string().min(1).max(MAX_NAME_LENGTH);

/** What any facet is: an object. Custom facets are otherwise free. */
const openFacet = z.looseObject({});
const openFacets = z.record(z.string(), openFacet);

/** The spec's BaseFacet: who wrote the facet and which schema it follows. */
const facet = <Shape extends z.core.$ZodLooseShape>(shape: Shape) =>
  z.looseObject({ _producer: uri, _schemaURL: uri, _deleted: z.boolean().optional(), ...shape });

const jobRef = z.looseObject({ namespace: name, name });

const parentRunFacet = facet({
  run: z.looseObject({ runId }),
  job: jobRef,
  root: z.looseObject({ run: z.looseObject({ runId }), job: jobRef }).optional(),
});

export interface SchemaField {
  name: string;
  type?: string;
  description?: string;
  ordinal_position?: number;
  fields?: SchemaField[];
}

const schemaField: z.ZodType<SchemaField> = z.lazy(() =>
  z.looseObject({
    name: z.string().max(MAX_NAME_LENGTH),
    type: z.string().max(MAX_NAME_LENGTH).optional(),
    description: z.string().optional(),
    ordinal_position: z.number().int().optional(),
    fields: z.array(schemaField).optional(),
  }),
).meta({ id: "OpenLineageSchemaField" });

const datasetFacets = z
  .looseObject({
    version: facet({ datasetVersion: z.string().min(1).max(MAX_DIGEST_LENGTH) }).optional(),
    // Not in the spec: Tally's name for a digest of the data itself (docs/openlineage.md).
    contentHash: facet({ hash: z.string().min(1).max(MAX_DIGEST_LENGTH), algorithm: z.string().max(100).optional() }).optional(),
    schema: facet({ fields: z.array(schemaField).optional() }).optional(),
    dataSource: facet({ name: z.string().optional(), uri: uri.optional() }).optional(),
    storage: facet({ storageLayer: z.string(), fileFormat: z.string().optional() }).optional(),
    lifecycleStateChange: facet({
      lifecycleStateChange: z.enum(LIFECYCLE_STATE_CHANGES),
      previousIdentifier: z.looseObject({ namespace: z.string(), name: z.string() }).optional(),
    }).optional(),
  })
  .catchall(openFacet);

const dataset = { namespace: name, name, facets: datasetFacets.optional() };
const inputDataset = z.looseObject({ ...dataset, inputFacets: openFacets.optional() });
const outputDataset = z.looseObject({ ...dataset, outputFacets: openFacets.optional() });

/** A RunEvent's shape; its description in the OpenAPI document (the intake parses with `openLineageRunEvent`). */
export const runEventObject = z.looseObject({
  eventType: z.enum(OPENLINEAGE_EVENT_TYPES),
  eventTime: z.iso
    .datetime({
      offset: true,
      error: (issue) => (issue.input === undefined ? "required" : "must be an ISO-8601 date-time with a time zone offset"),
    })
    .refine(storableIsoTime, `must have ${STORABLE_ISO_TIME}`),
  producer: uri,
  schemaURL: uri,
  run: z.looseObject(
    { runId, facets: z.looseObject({ parent: parentRunFacet.optional() }).catchall(openFacet).optional() },
    { error: (issue) => (issue.input === undefined ? "required (Tally accepts RunEvents only)" : "must be an object") },
  ),
  job: z.looseObject({ namespace: name, name, facets: openFacets.optional() }),
  inputs: z.array(inputDataset).max(MAX_OPENLINEAGE_DATASETS).optional(),
  outputs: z.array(outputDataset).max(MAX_OPENLINEAGE_DATASETS).optional(),
});

export type OpenLineageRunEvent = z.infer<typeof runEventObject>;
export type OpenLineageInputDataset = z.infer<typeof inputDataset>;
export type OpenLineageOutputDataset = z.infer<typeof outputDataset>;
export type OpenLineageDataset = OpenLineageInputDataset | OpenLineageOutputDataset;

/**
 * What would keep the event out of PostgreSQL, found without recursion: nesting deeper than
 * MAX_OPENLINEAGE_NESTING, or a NUL character (JSONB and text columns cannot hold one).
 */
function unstorable(value: unknown): string | null {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current === "string") {
      if (current.includes("\u0000")) return "contains a NUL (\\u0000) character, which Tally cannot store";
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    if (depth >= MAX_OPENLINEAGE_NESTING) return `nested more than ${MAX_OPENLINEAGE_NESTING} levels deep`;
    for (const [key, child] of Object.entries(current)) pending.push([key, depth + 1], [child, depth + 1]);
  }
  return null;
}

export const openLineageRunEvent = z
  .unknown()
  .superRefine((value, ctx) => {
    const problem = unstorable(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .pipe(runEventObject);

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

/** Messages that say what the field needs, for people reading a producer's error log. */
const messages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "required" : `must be ${article(issue.expected)}`;
    case "invalid_value": {
      const allowed = issue.values.map(String).join(", ");
      return issue.input === undefined ? `required: one of ${allowed}` : `must be one of ${allowed}`;
    }
    case "too_small":
      return issue.origin === "string" ? "must not be empty" : undefined;
    case "too_big":
      return issue.origin === "string"
        ? `must be at most ${issue.maximum} characters`
        : issue.origin === "array"
          ? `must have at most ${issue.maximum} items`
          : undefined;
    default:
      return undefined;
  }
};

/** `inputs[3].facets.version` */
function fieldPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) text += typeof part === "number" ? `[${part}]` : `${text ? "." : ""}${String(part)}`;
  return text || "event";
}

const MAX_PROBLEMS_REPORTED = 10;

/**
 * The event, or what is wrong with it: one line per problem, each naming the field
 * (`run.runId: must be a UUID`), at most ten.
 */
export function parseOpenLineageRunEvent(value: unknown): { event: OpenLineageRunEvent } | { problems: string[] } {
  const parsed = openLineageRunEvent.safeParse(value, { error: messages });
  if (parsed.success) return { event: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`);
  return {
    problems: problems.length > MAX_PROBLEMS_REPORTED
      ? [...problems.slice(0, MAX_PROBLEMS_REPORTED), `and ${problems.length - MAX_PROBLEMS_REPORTED} more`]
      : problems,
  };
}
