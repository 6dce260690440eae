import { z } from "zod";
import {
  emptyAnswer,
  modelVersionAnswer,
  modelVersionListAnswer,
  modelVersionWireSchema,
  pageOf,
  registeredModelAnswer,
  registeredModelWireSchema,
} from "@/lib/schemas/mlflow-answers";
import {
  aliasBody,
  aliasRef,
  createModelVersionBody,
  createRegisteredModelBody,
  latestVersionsBody,
  modelVersionRef,
  modelVersionTagBody,
  modelVersionTagRef,
  registeredModelRef,
  registeredModelTagBody,
  registeredModelTagRef,
  registrySearchBody,
  renameRegisteredModelBody,
  transitionStageBody,
  updateModelVersionBody,
  updateRegisteredModelBody,
} from "@/lib/schemas/mlflow-registry";
import {
  createModelVersion,
  createRegisteredModel,
  deleteModelVersion,
  deleteModelVersionTag,
  deleteRegisteredModel,
  deleteRegisteredModelTag,
  getModelVersion,
  getRegisteredModel,
  latestModelVersions,
  modelVersionByAlias,
  modelVersionDownloadUri,
  renameRegisteredModel,
  searchModelVersions,
  searchRegisteredModels,
  setModelVersionTag,
  setRegisteredModelTag,
  updateModelVersion,
  updateRegisteredModel,
} from "@/server/services/registry";
import { deleteModelAlias, setModelAlias, transitionModelVersionStage } from "@/server/services/promotions";
import { modelVersionWire, registeredModelWire, tagRecord } from "../registry-wire";
import { mlflowRoute, type MlflowRoute } from "../route-table";

/** MLflow's defaults and ceilings: 100 (≤1000) registered models, 10,000 (≤200,000) versions per page. */
const modelSearchBody = registrySearchBody({ default: 100, max: 1000 });
const versionSearchBody = registrySearchBody({ default: 10_000, max: 200_000 });

const latestVersionsRoute = (method: "GET" | "POST") =>
  mlflowRoute({
    method,
    path: "/registered-models/get-latest-versions",
    summary: "The latest version in each stage (or in the stages asked for)",
    input: latestVersionsBody,
    answer: modelVersionListAnswer,
    handle: async (access, body) => ({ model_versions: (await latestModelVersions(access, body.name, body.stages)).map(modelVersionWire) }),
  });

/** MLflow's model registry (registered models, versions, stages, aliases), as its client calls it. */
export const registryRoutes: MlflowRoute[] = [
  mlflowRoute({
    method: "POST",
    path: "/registered-models/create",
    summary: "Register a model",
    input: createRegisteredModelBody,
    answer: registeredModelAnswer,
    handle: async (access, body) => {
      const model = await createRegisteredModel(access, { name: body.name, description: body.description, tags: tagRecord(body.tags) });
      return { registered_model: registeredModelWire(model) };
    },
  }),
  mlflowRoute({
    method: "GET",
    path: "/registered-models/get",
    summary: "A registered model",
    input: registeredModelRef,
    answer: registeredModelAnswer,
    handle: async (access, { name }) => ({ registered_model: registeredModelWire(await getRegisteredModel(access, name)) }),
  }),
  mlflowRoute({
    method: "POST",
    path: "/registered-models/rename",
    summary: "Rename a registered model",
    input: renameRegisteredModelBody,
    answer: registeredModelAnswer,
    handle: async (access, body) => ({ registered_model: registeredModelWire(await renameRegisteredModel(access, body.name, body.new_name)) }),
  }),
  mlflowRoute({
    method: "PATCH",
    path: "/registered-models/update",
    summary: "Change a registered model's description",
    input: updateRegisteredModelBody,
    answer: registeredModelAnswer,
    handle: async (access, body) => ({ registered_model: registeredModelWire(await updateRegisteredModel(access, body.name, body.description)) }),
  }),
  mlflowRoute({
    method: "DELETE",
    path: "/registered-models/delete",
    summary: "Delete a registered model and its versions",
    input: registeredModelRef,
    answer: emptyAnswer,
    handle: async (access, { name }) => {
      await deleteRegisteredModel(access, name);
      return {};
    },
  }),
  mlflowRoute({
    method: "GET",
    path: "/registered-models/search",
    summary: "Search registered models",
    input: modelSearchBody,
    answer: pageOf("registered_models", registeredModelWireSchema),
    handle: async (access, body) => {
      const page = await searchRegisteredModels(access, {
        filter: body.filter,
        orderBy: body.order_by,
        maxResults: body.max_results,
        pageToken: body.page_token || undefined,
      });
      return { registered_models: page.models.map(registeredModelWire), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
    },
  }),
  mlflowRoute({
    method: "GET",
    path: "/model-versions/search",
    summary: "Search model versions",
    input: versionSearchBody,
    answer: pageOf("model_versions", modelVersionWireSchema),
    handle: async (access, body) => {
      const page = await searchModelVersions(access, {
        filter: body.filter,
        orderBy: body.order_by,
        maxResults: body.max_results,
        pageToken: body.page_token || undefined,
      });
      return { model_versions: page.versions.map(modelVersionWire), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
    },
  }),
  latestVersionsRoute("POST"),
  latestVersionsRoute("GET"),
  mlflowRoute({
    method: "POST",
    path: "/registered-models/set-tag",
    summary: "Set a registered model's tag",
    input: registeredModelTagBody,
    answer: emptyAnswer,
    handle: async (access, body) => {
      await setRegisteredModelTag(access, body.name, body.key, body.value);
      return {};
    },
  }),
  mlflowRoute({
    method: "DELETE",
    path: "/registered-models/delete-tag",
    summary: "Delete a registered model's tag",
    input: registeredModelTagRef,
    answer: emptyAnswer,
    handle: async (access, body) => {
      await deleteRegisteredModelTag(access, body.name, body.key);
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/registered-models/alias",
    summary: "Point an alias at a version (may need approval under the project's policy)",
    input: aliasBody,
    answer: emptyAnswer,
    handle: async (access, body) => {
      await setModelAlias(access, body.name, body.alias, body.version);
      return {};
    },
  }),
  mlflowRoute({
    method: "DELETE",
    path: "/registered-models/alias",
    summary: "Remove an alias",
    input: aliasRef,
    answer: emptyAnswer,
    handle: async (access, body) => {
      await deleteModelAlias(access, body.name, body.alias);
      return {};
    },
  }),
  mlflowRoute({
    method: "GET",
    path: "/registered-models/alias",
    summary: "The version an alias points at",
    input: aliasRef,
    answer: modelVersionAnswer,
    handle: async (access, body) => ({ model_version: modelVersionWire(await modelVersionByAlias(access, body.name, body.alias)) }),
  }),
  mlflowRoute({
    method: "POST",
    path: "/model-versions/create",
    summary: "Register a new version of a model",
    input: createModelVersionBody,
    answer: modelVersionAnswer,
    handle: async (access, body) => {
      const version = await createModelVersion(access, body.name, {
        source: body.source,
        runId: body.run_id || undefined,
        loggedModelId: body.model_id || undefined,
        runLink: body.run_link,
        description: body.description,
        tags: tagRecord(body.tags),
      });
      return { model_version: modelVersionWire(version) };
    },
  }),
  mlflowRoute({
    method: "GET",
    path: "/model-versions/get",
    summary: "A model version",
    input: modelVersionRef,
    answer: modelVersionAnswer,
    handle: async (access, body) => ({ model_version: modelVersionWire(await getModelVersion(access, body.name, body.version)) }),
  }),
  mlflowRoute({
    method: "PATCH",
    path: "/model-versions/update",
    summary: "Change a model version's description",
    input: updateModelVersionBody,
    answer: modelVersionAnswer,
    handle: async (access, body) => ({ model_version: modelVersionWire(await updateModelVersion(access, body.name, body.version, body.description)) }),
  }),
  mlflowRoute({
    method: "DELETE",
    path: "/model-versions/delete",
    summary: "Delete a model version",
    input: modelVersionRef,
    answer: emptyAnswer,
    handle: async (access, body) => {
      await deleteModelVersion(access, body.name, body.version);
      return {};
    },
  }),
  mlflowRoute({
    method: "POST",
    path: "/model-versions/transition-stage",
    summary: "Move a version to a stage (may need approval under the project's policy)",
    input: transitionStageBody,
    answer: modelVersionAnswer,
    handle: async (access, body) => {
      const version = await transitionModelVersionStage(access, body.name, body.version, {
        stage: body.stage,
        archiveExisting: body.archive_existing_versions,
      });
      return { model_version: modelVersionWire(version) };
    },
  }),
  mlflowRoute({
    method: "GET",
    path: "/model-versions/get-download-uri",
    summary: "Where a version's files are",
    input: modelVersionRef,
    answer: z.strictObject({ artifact_uri: z.string() }),
    handle: async (access, body) => ({ artifact_uri: await modelVersionDownloadUri(access, body.name, body.version) }),
  }),
  mlflowRoute({
    method: "POST",
    path: "/model-versions/set-tag",
    summary: "Set a model version's tag",
    input: modelVersionTagBody,
    answer: emptyAnswer,
    handle: async (access, body) => {
      await setModelVersionTag(access, body.name, body.version, body.key, body.value);
      return {};
    },
  }),
  mlflowRoute({
    method: "DELETE",
    path: "/model-versions/delete-tag",
    summary: "Delete a model version's tag",
    input: modelVersionTagRef,
    answer: emptyAnswer,
    handle: async (access, body) => {
      await deleteModelVersionTag(access, body.name, body.version, body.key);
      return {};
    },
  }),
];
