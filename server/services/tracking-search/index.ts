/**
 * The MLflow search language for runs and experiments: filters and order_by parsed into a tree, then
 * compiled to one parameterized PostgreSQL SELECT of ids per page.
 */
export type { Condition, Field, FieldType, FilterExpr, NumberOperator, OrderKey, SearchEntity, TextOperator } from "./ast";
export { parseFilter } from "./parser";
export { parseOrderBy } from "./order-by";
export { compileRunSearch, type RunSearchInput } from "./compile-runs";
export { compileExperimentSearch, type ExperimentSearchInput } from "./compile-experiments";
export { compileLoggedModelSearch, type DatasetRef, type LoggedModelSearchInput } from "./compile-logged-models";
export { compileRegisteredModelSearch, compileModelVersionSearch, type RegistrySearchInput } from "./compile-registry";
export { nextPageToken, pageTokenAfter, MAX_RESULTS, type Page } from "./page-token";
export type { CompiledSearch, ViewType } from "./sql";
