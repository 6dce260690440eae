import { z } from "zod";
import { experimentIdSchema, experimentNameSchema, experimentTagSchema, int64, viewTypeSchema } from "@/lib/schemas/mlflow";
import {
  createExperiment,
  deleteExperimentTag,
  getExperiment,
  getExperimentByName,
  renameExperiment,
  searchExperiments,
  setExperimentLifecycle,
  setExperimentTag,
} from "@/server/services/experiments";
import type { MlflowRoute } from "../route-table";

const experimentRef = z.object({ experiment_id: experimentIdSchema });

/** A repeated string field: one value arrives as a plain string in a GET query. */
const stringList = z.union([z.string(), z.array(z.string())]).transform((value) => (Array.isArray(value) ? value : [value]));

const searchBody = z.object({
  max_results: int64.default(1000),
  page_token: z.string().max(1000).optional(),
  filter: z.string().max(10_000).optional(),
  order_by: stringList.pipe(z.array(z.string().max(300)).max(10)).default([]),
  view_type: viewTypeSchema.default("ACTIVE_ONLY"),
});

const search: MlflowRoute["handle"] = (access, input) => {
  const body = searchBody.parse(input);
  return searchExperiments(access, {
    filter: body.filter,
    orderBy: body.order_by,
    viewType: body.view_type,
    maxResults: body.max_results,
    pageToken: body.page_token || undefined,
  });
};

export const experimentRoutes: MlflowRoute[] = [
  { method: "POST", path: "/experiments/search", handle: search },
  { method: "GET", path: "/experiments/search", handle: search },
  {
    method: "GET",
    path: "/experiments/get-by-name",
    handle: async (access, input) => {
      const { experiment_name } = z.object({ experiment_name: experimentNameSchema }).parse(input);
      return { experiment: await getExperimentByName(access, experiment_name) };
    },
  },
  {
    method: "GET",
    path: "/experiments/get",
    handle: async (access, input) => ({
      experiment: await getExperiment(access, experimentRef.parse(input).experiment_id),
    }),
  },
  {
    method: "POST",
    path: "/experiments/create",
    handle: async (access, input) => {
      const body = z
        .object({
          name: experimentNameSchema,
          artifact_location: z.string().max(2000).optional(),
          tags: z.array(experimentTagSchema).max(100).default([]),
        })
        .parse(input);
      return createExperiment(access, { name: body.name, artifactLocation: body.artifact_location || undefined, tags: body.tags });
    },
  },
  {
    method: "POST",
    path: "/experiments/update",
    handle: async (access, input) => {
      const body = experimentRef.extend({ new_name: experimentNameSchema }).parse(input);
      await renameExperiment(access, body.experiment_id, body.new_name);
      return {};
    },
  },
  {
    method: "POST",
    path: "/experiments/delete",
    handle: async (access, input) => {
      await setExperimentLifecycle(access, experimentRef.parse(input).experiment_id, "deleted");
      return {};
    },
  },
  {
    method: "POST",
    path: "/experiments/restore",
    handle: async (access, input) => {
      await setExperimentLifecycle(access, experimentRef.parse(input).experiment_id, "active");
      return {};
    },
  },
  {
    method: "POST",
    path: "/experiments/set-experiment-tag",
    handle: async (access, input) => {
      const body = experimentRef.and(experimentTagSchema).parse(input);
      await setExperimentTag(access, body.experiment_id, { key: body.key, value: body.value });
      return {};
    },
  },
  {
    method: "POST",
    path: "/experiments/delete-experiment-tag",
    handle: async (access, input) => {
      const body = experimentRef.extend({ key: z.string().min(1).max(250) }).parse(input);
      await deleteExperimentTag(access, body.experiment_id, body.key);
      return {};
    },
  },
];
