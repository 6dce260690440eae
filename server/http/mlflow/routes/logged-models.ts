import { z } from "zod";
import { emptyAnswer, fileListAnswer, loggedModelAnswer, loggedModelWireSchema, pageOf } from "@/lib/schemas/mlflow-answers";
import {
  createLoggedModelBody,
  finalizeLoggedModelBody,
  getLoggedModelQuery,
  loggedModelArtifactsQuery,
  loggedModelIdSchema,
  loggedModelParamsBody,
  loggedModelTagsBody,
  searchLoggedModelsBody,
} from "@/lib/schemas/mlflow-logged-models";
import {
  createLoggedModel,
  deleteLoggedModel,
  deleteLoggedModelTag,
  finalizeLoggedModel,
  getLoggedModel,
  listLoggedModelArtifacts,
  logLoggedModelParams,
  searchLoggedModels,
  setLoggedModelTags,
} from "@/server/services/logged-models";
import { mlflowRoute, type MlflowRoute } from "../route-table";
import { loggedModelWire, pageWire } from "../tracking-wire";
import { fileInfos } from "./artifacts";

const modelPath = z.object({ modelId: loggedModelIdSchema });
const noFields = z.object({});

export const loggedModelRoutes: MlflowRoute[] = [
  mlflowRoute({
    method: "POST",
    path: "/logged-models/search",
    summary: "Search logged models",
    input: searchLoggedModelsBody,
    answer: pageOf("models", loggedModelWireSchema),
    handle: async (access, body) => {
      const models = await searchLoggedModels(access, {
        experimentIds: body.experiment_ids,
        filter: body.filter,
        datasets: body.datasets,
        orderBy: body.order_by,
        maxResults: body.max_results,
        pageToken: body.page_token,
      });
      return pageWire("models", models.models.map(loggedModelWire), models.nextPageToken);
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/logged-models",
    summary: "Create a logged model",
    input: createLoggedModelBody,
    answer: loggedModelAnswer,
    handle: async (access, body) => {
      const model = await createLoggedModel(access, {
        experimentId: body.experiment_id,
        name: body.name,
        modelType: body.model_type,
        sourceRunId: body.source_run_id,
        params: body.params,
        tags: body.tags,
      });
      return { model: loggedModelWire(model) };
    },
  }),
  mlflowRoute({
    method: "GET",
    path: "/logged-models/:modelId",
    summary: "A logged model",
    input: getLoggedModelQuery,
    params: modelPath,
    answer: loggedModelAnswer,
    handle: async (access, query, { modelId }) => ({
      model: loggedModelWire(await getLoggedModel(access, modelId, query.allow_deleted === "true")),
    }),
  }),
  mlflowRoute({
    method: "PATCH",
    path: "/logged-models/:modelId",
    summary: "Finalize a logged model (its upload succeeded or failed)",
    input: finalizeLoggedModelBody,
    params: modelPath,
    answer: loggedModelAnswer,
    handle: async (access, { status }, { modelId }) => ({ model: loggedModelWire(await finalizeLoggedModel(access, modelId, status)) }),
  }),
  mlflowRoute({
    method: "DELETE",
    path: "/logged-models/:modelId",
    summary: "Delete a logged model",
    input: noFields,
    params: modelPath,
    answer: emptyAnswer,
    handle: async (access, _body, { modelId }) => {
      await deleteLoggedModel(access, modelId);
      return {};
    },
  }),
  mlflowRoute({
    method: "PATCH",
    path: "/logged-models/:modelId/tags",
    summary: "Set tags of a logged model",
    input: loggedModelTagsBody,
    params: modelPath,
    answer: emptyAnswer,
    handle: async (access, { tags }, { modelId }) => {
      await setLoggedModelTags(access, modelId, tags);
      return {};
    },
  }),
  mlflowRoute({
    // The client puts the tag key into the path unencoded, so it may contain slashes. The route's
    // segments arrive already percent-decoded (once, by Next's router); decoding again would turn a
    // key "acc%20top" into "acc top" and make a lone "%" a URIError.
    method: "DELETE",
    path: "/logged-models/:modelId/tags/*tagKey",
    summary: "Delete a tag of a logged model",
    input: noFields,
    params: modelPath.extend({ tagKey: z.string().min(1).max(1000) }),
    answer: emptyAnswer,
    handle: async (access, _body, { modelId, tagKey }) => {
      await deleteLoggedModelTag(access, modelId, tagKey);
      return {};
    },
  }),
  mlflowRoute({
    method: "GET",
    path: "/logged-models/:modelId/artifacts/directories",
    summary: "List a folder of a logged model's artifacts",
    input: loggedModelArtifactsQuery,
    params: modelPath,
    answer: fileListAnswer,
    handle: async (access, { artifact_directory_path: folder }, { modelId }) => {
      const { rootUri, entries } = await listLoggedModelArtifacts(access, modelId, folder);
      return { root_uri: rootUri, files: fileInfos(entries, folder) };
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/logged-models/:modelId/params",
    summary: "Log params of a logged model",
    input: loggedModelParamsBody,
    params: modelPath,
    answer: emptyAnswer,
    handle: async (access, body, { modelId }) => {
      await logLoggedModelParams(access, modelId, body.params);
      return {};
    },
  }),
];
