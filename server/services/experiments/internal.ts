/**
 * Unguarded lookups for other services, which assert their own scope before calling them (see
 * docs/permissions.md). Not part of the public surface (index.ts): edges never import this file.
 */
export { findExperiment } from "./experiments";
export { experimentKeysOf } from "./search";
