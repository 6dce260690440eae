import { z } from "zod";
import {
  createExperimentBody,
  experimentByNameBody,
  experimentRef,
  experimentTagBody,
  experimentTagRef,
  renameExperimentBody,
  searchExperimentsBody,
} from "@/lib/schemas/mlflow-experiments";
import { emptyAnswer, experimentAnswer, experimentWireSchema, pageOf } from "@/lib/schemas/mlflow-answers";
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
import { mlflowRoute, type MlflowRoute } from "../route-table";
import { experimentWire, pageWire } from "../tracking-wire";

const searchRoute = (method: "GET" | "POST") =>
  mlflowRoute({
    method,
    path: "/experiments/search",
    summary: "Search experiments",
    input: searchExperimentsBody,
    answer: pageOf("experiments", experimentWireSchema),
    handle: async (access, body) => {
      const found = await searchExperiments(access, {
        filter: body.filter,
        orderBy: body.order_by,
        viewType: body.view_type,
        maxResults: body.max_results,
        pageToken: body.page_token || undefined,
      });
      return pageWire("experiments", found.experiments.map(experimentWire), found.nextPageToken);
    },
  });

export const experimentRoutes: MlflowRoute[] = [
  searchRoute("POST"),
  searchRoute("GET"),
  mlflowRoute({
    method: "GET",
    path: "/experiments/get-by-name",
    summary: "An experiment by name",
    input: experimentByNameBody,
    answer: experimentAnswer,
    handle: async (access, { experiment_name }) => ({ experiment: experimentWire(await getExperimentByName(access, experiment_name)) }),
  }),
  mlflowRoute({
    method: "GET",
    path: "/experiments/get",
    summary: "An experiment by id",
    input: experimentRef,
    answer: experimentAnswer,
    handle: async (access, { experiment_id }) => ({ experiment: experimentWire(await getExperiment(access, experiment_id)) }),
  }),
  mlflowRoute({
    method: "POST",
    path: "/experiments/create",
    summary: "Create an experiment",
    input: createExperimentBody,
    answer: z.strictObject({ experiment_id: z.string() }),
    handle: async (access, body) => {
      const experiment = await createExperiment(access, { name: body.name, artifactLocation: body.artifact_location || undefined, tags: body.tags });
      return { experiment_id: experiment.id };
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/experiments/update",
    summary: "Rename an experiment",
    input: renameExperimentBody,
    answer: emptyAnswer,
    handle: async (access, body) => {
      await renameExperiment(access, body.experiment_id, body.new_name);
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/experiments/delete",
    summary: "Delete an experiment (restorable)",
    input: experimentRef,
    answer: emptyAnswer,
    handle: async (access, { experiment_id }) => {
      await setExperimentLifecycle(access, experiment_id, "deleted");
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/experiments/restore",
    summary: "Restore a deleted experiment",
    input: experimentRef,
    answer: emptyAnswer,
    handle: async (access, { experiment_id }) => {
      await setExperimentLifecycle(access, experiment_id, "active");
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/experiments/set-experiment-tag",
    summary: "Set an experiment's tag",
    input: experimentTagBody,
    answer: emptyAnswer,
    handle: async (access, body) => {
      await setExperimentTag(access, body.experiment_id, { key: body.key, value: body.value });
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/experiments/delete-experiment-tag",
    summary: "Delete an experiment's tag",
    input: experimentTagRef,
    answer: emptyAnswer,
    handle: async (access, body) => {
      await deleteExperimentTag(access, body.experiment_id, body.key);
      return {};
    },
  }),
];
