/**
 * Runs a compiled search against the database. The compilers confine every search to the project they
 * are given, but nothing here checks the caller's scope: only services, which assert it first, run
 * searches.
 */
export { executeSearch } from "./execute";
