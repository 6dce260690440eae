import { z } from "zod";
import { VIEW_TYPES } from "../tracking-states";
import { projectRef } from "./projects";

/** What the runs table shows: the chosen columns, the filter text and the sort (what a saved view keeps). */
const keyList = z.array(z.string().min(1).max(250)).max(200, "A view may show at most 200 columns of each kind");

export const runsTableStateSchema = z.object({
  columns: z.object({ metrics: keyList, params: keyList, tags: keyList }),
  filter: z.string().max(5000, "The filter must be at most 5000 characters"),
  orderBy: z.array(z.string().min(1).max(300)).max(10, "Sort by at most 10 columns"),
});
export type RunsTableState = z.infer<typeof runsTableStateSchema>;

export const experimentRef = projectRef.extend({ experimentId: z.string().regex(/^\d{1,9}$/, "Invalid experiment id") });

const columnsSchema = runsTableStateSchema.shape.columns;
const runTableQuery = experimentRef.extend({
  filter: runsTableStateSchema.shape.filter.default(""),
  orderBy: runsTableStateSchema.shape.orderBy.default([]),
  viewType: z.enum(VIEW_TYPES).default("ACTIVE_ONLY"),
});
export const runTablePageInput = runTableQuery.extend({
  columns: columnsSchema,
  pageSize: z.number().int().min(1).max(1000).default(200),
  /** The page token of the previous page (named `cursor` for infinite queries). */
  cursor: z.string().max(500).nullish(),
});
export const runTableCountInput = runTableQuery;
export const runTableKeysInput = experimentRef;
