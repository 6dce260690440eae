import type { Condition, OrderKey, SearchEntity } from "./ast";
import { openPage, shapeOf } from "./page-token";
import { parseFilter } from "./parser";
import { parseOrderBy } from "./order-by";
import { columnOf, keyedCondition, orderTerm, renderFilter, selectIds, SqlParams, valueTest, type CompiledSearch, type KeyedTable } from "./sql";

export interface RegistrySearchInput {
  projectId: string;
  filter?: string;
  orderBy?: readonly string[];
  maxResults: number;
  pageToken?: string;
}

/** Registry times are timestamps; the grammar speaks epoch milliseconds. */
const epochMs = (column: string) => `(floor(extract(epoch FROM ${column}) * 1000))::bigint`;

interface RegistryEntity {
  entity: SearchEntity;
  table: string;
  columns: Readonly<Record<string, string>>;
  tags: KeyedTable;
  joins: string[];
  projectColumn: string;
  defaultOrder: readonly string[];
  /** Appended to every order so that pages are stable. */
  tieBreak: string;
}

const REGISTERED_MODELS: RegistryEntity = {
  entity: "registered_model",
  table: "RegisteredModel",
  columns: {
    name: '"RegisteredModel"."name"',
    creation_timestamp: epochMs('"RegisteredModel"."createdAt"'),
    last_updated_timestamp: epochMs('"RegisteredModel"."updatedAt"'),
  },
  tags: { table: '"RegisteredModelTag"', ownerColumn: '"modelId"', owner: '"RegisteredModel"."id"' },
  joins: [],
  projectColumn: '"RegisteredModel"."projectId"',
  defaultOrder: ["name ASC"],
  tieBreak: '"RegisteredModel"."name" ASC',
};

const MODEL_VERSIONS: RegistryEntity = {
  entity: "model_version",
  table: "ModelVersion",
  columns: {
    name: '"RegisteredModel"."name"',
    run_id: '"ModelVersion"."runId"',
    source_path: '"ModelVersion"."source"',
    version_number: '"ModelVersion"."version"',
    creation_timestamp: epochMs('"ModelVersion"."createdAt"'),
    last_updated_timestamp: epochMs('"ModelVersion"."updatedAt"'),
  },
  tags: { table: '"ModelVersionTag"', ownerColumn: '"versionId"', owner: '"ModelVersion"."id"' },
  joins: ['JOIN "RegisteredModel" ON "RegisteredModel"."id" = "ModelVersion"."modelId"'],
  projectColumn: '"RegisteredModel"."projectId"',
  defaultOrder: ["last_updated_timestamp DESC", "name ASC", "version_number DESC"],
  tieBreak: '"ModelVersion"."id" ASC',
};

function compile(spec: RegistryEntity, input: RegistrySearchInput): CompiledSearch {
  const filter = parseFilter(input.filter ?? "", spec.entity);
  const orderBy = parseOrderBy(input.orderBy?.length ? input.orderBy : spec.defaultOrder, spec.entity);
  const shape = shapeOf({ entity: spec.entity, projectId: input.projectId, filter, orderBy });
  const page = openPage(shape, input.maxResults, input.pageToken);
  const params = new SqlParams();
  const condition = (leaf: Condition) =>
    leaf.field.type === "attribute" && leaf.kind !== "isNull"
      ? valueTest(leaf, columnOf(spec.columns, leaf.field.key), params, "bigint")
      : keyedCondition(spec.tags, leaf, params);
  const where = [
    `${spec.projectColumn} = ${params.bind(input.projectId, "text")}`,
    ...(filter ? [renderFilter(filter, { condition, keyedOf: (leaf) => (leaf.field.type === "tag" ? spec.tags : undefined), params })] : []),
  ];
  const order = [...orderBy.map(({ field, ascending }: OrderKey) => orderTerm(columnOf(spec.columns, field.key), ascending)), spec.tieBreak];
  return selectIds(spec.table, { joins: spec.joins, where, orderBy: order }, page, params);
}

/** registered-models/search: ids of the project's registered models (MLflow's grammar, plus OR and parentheses). */
export const compileRegisteredModelSearch = (input: RegistrySearchInput) => compile(REGISTERED_MODELS, input);

/** model-versions/search: ids of the project's model versions. */
export const compileModelVersionSearch = (input: RegistrySearchInput) => compile(MODEL_VERSIONS, input);
