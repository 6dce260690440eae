import { z } from "zod";
import { experimentRef, runsTableStateSchema } from "./runs-table";

/** A saved run view: a runs-table state kept under a name, per user and experiment. */
export const savedRunViewNameSchema = z
  .string()
  .trim()
  .min(1, "Name the view")
  .max(100, "A view name must be at most 100 characters");

export const listSavedRunViewsInput = experimentRef;
export const saveSavedRunViewInput = experimentRef.extend({ name: savedRunViewNameSchema, state: runsTableStateSchema });
export const deleteSavedRunViewInput = experimentRef.extend({ name: savedRunViewNameSchema });
