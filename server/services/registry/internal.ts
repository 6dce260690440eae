/**
 * For other services only (the approval gate in server/services/promotions): the ungated moves and
 * the row lookups. Edges never import this (a dependency rule); they go through the gate.
 */
export { stageMoveInput, assertAlias, lockVersion, moveToStage, pointAlias, removeAlias } from "./moves";
export { findModelRow, findVersionRow } from "./load";
