import {
  createExperimentBody,
  experimentByNameBody,
  experimentRef,
  experimentTagBody,
  experimentTagRef,
  renameExperimentBody,
  searchExperimentsBody,
} from "@/lib/schemas/mlflow-experiments";
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
import { experimentWire, pageWire } from "../tracking-wire";

const search: MlflowRoute["handle"] = async (access, input) => {
  const body = searchExperimentsBody.parse(input);
  const found = await searchExperiments(access, {
    filter: body.filter,
    orderBy: body.order_by,
    viewType: body.view_type,
    maxResults: body.max_results,
    pageToken: body.page_token || undefined,
  });
  return pageWire("experiments", found.experiments.map(experimentWire), found.nextPageToken);
};

export const experimentRoutes: MlflowRoute[] = [
  { method: "POST", path: "/experiments/search", scope: "project:read", handle: search },
  { method: "GET", path: "/experiments/search", scope: "project:read", handle: search },
  {
    method: "GET",
    path: "/experiments/get-by-name",
    scope: "project:read",
    handle: async (access, input) => {
      const { experiment_name } = experimentByNameBody.parse(input);
      return { experiment: experimentWire(await getExperimentByName(access, experiment_name)) };
    },
  },
  {
    method: "GET",
    path: "/experiments/get",
    scope: "project:read",
    handle: async (access, input) => ({
      experiment: experimentWire(await getExperiment(access, experimentRef.parse(input).experiment_id)),
    }),
  },
  {
    method: "POST",
    path: "/experiments/create",
    scope: "runs:write",
    handle: async (access, input) => {
      const body = createExperimentBody.parse(input);
      const experiment = await createExperiment(access, { name: body.name, artifactLocation: body.artifact_location || undefined, tags: body.tags });
      return { experiment_id: experiment.id };
    },
  },
  {
    method: "POST",
    path: "/experiments/update",
    scope: "runs:write",
    handle: async (access, input) => {
      const body = renameExperimentBody.parse(input);
      await renameExperiment(access, body.experiment_id, body.new_name);
      return {};
    },
  },
  {
    method: "POST",
    path: "/experiments/delete",
    scope: "runs:delete",
    handle: async (access, input) => {
      await setExperimentLifecycle(access, experimentRef.parse(input).experiment_id, "deleted");
      return {};
    },
  },
  {
    method: "POST",
    path: "/experiments/restore",
    scope: "runs:delete",
    handle: async (access, input) => {
      await setExperimentLifecycle(access, experimentRef.parse(input).experiment_id, "active");
      return {};
    },
  },
  {
    method: "POST",
    path: "/experiments/set-experiment-tag",
    scope: "runs:write",
    handle: async (access, input) => {
      const body = experimentTagBody.parse(input);
      await setExperimentTag(access, body.experiment_id, { key: body.key, value: body.value });
      return {};
    },
  },
  {
    method: "POST",
    path: "/experiments/delete-experiment-tag",
    scope: "runs:write",
    handle: async (access, input) => {
      const body = experimentTagRef.parse(input);
      await deleteExperimentTag(access, body.experiment_id, body.key);
      return {};
    },
  },
];
