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
import type { MlflowRoute } from "../route-table";

/** MLflow's defaults and ceilings: 100 (≤1000) registered models, 10,000 (≤200,000) versions per page. */
const modelSearchBody = registrySearchBody({ default: 100, max: 1000 });
const versionSearchBody = registrySearchBody({ default: 10_000, max: 200_000 });

const searchModels: MlflowRoute["handle"] = async (access, input) => {
  const body = modelSearchBody.parse(input);
  const page = await searchRegisteredModels(access, {
    filter: body.filter,
    orderBy: body.order_by,
    maxResults: body.max_results,
    pageToken: body.page_token || undefined,
  });
  return { registered_models: page.models.map(registeredModelWire), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
};

const searchVersions: MlflowRoute["handle"] = async (access, input) => {
  const body = versionSearchBody.parse(input);
  const page = await searchModelVersions(access, {
    filter: body.filter,
    orderBy: body.order_by,
    maxResults: body.max_results,
    pageToken: body.page_token || undefined,
  });
  return { model_versions: page.versions.map(modelVersionWire), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
};

const latestVersions: MlflowRoute["handle"] = async (access, input) => {
  const body = latestVersionsBody.parse(input);
  return { model_versions: (await latestModelVersions(access, body.name, body.stages)).map(modelVersionWire) };
};

/** MLflow's model registry (registered models, versions, stages, aliases), as its client calls it. */
export const registryRoutes: MlflowRoute[] = [
  {
    method: "POST",
    path: "/registered-models/create",
    handle: async (access, input) => {
      const body = createRegisteredModelBody.parse(input);
      const model = await createRegisteredModel(access, { name: body.name, description: body.description, tags: tagRecord(body.tags) });
      return { registered_model: registeredModelWire(model) };
    },
  },
  {
    method: "GET",
    path: "/registered-models/get",
    handle: async (access, input) => ({ registered_model: registeredModelWire(await getRegisteredModel(access, registeredModelRef.parse(input).name)) }),
  },
  {
    method: "POST",
    path: "/registered-models/rename",
    handle: async (access, input) => {
      const body = renameRegisteredModelBody.parse(input);
      return { registered_model: registeredModelWire(await renameRegisteredModel(access, body.name, body.new_name)) };
    },
  },
  {
    method: "PATCH",
    path: "/registered-models/update",
    handle: async (access, input) => {
      const body = updateRegisteredModelBody.parse(input);
      return { registered_model: registeredModelWire(await updateRegisteredModel(access, body.name, body.description)) };
    },
  },
  {
    method: "DELETE",
    path: "/registered-models/delete",
    handle: async (access, input) => {
      await deleteRegisteredModel(access, registeredModelRef.parse(input).name);
      return {};
    },
  },
  { method: "GET", path: "/registered-models/search", handle: searchModels },
  { method: "GET", path: "/model-versions/search", handle: searchVersions },
  { method: "POST", path: "/registered-models/get-latest-versions", handle: latestVersions },
  { method: "GET", path: "/registered-models/get-latest-versions", handle: latestVersions },
  {
    method: "POST",
    path: "/registered-models/set-tag",
    handle: async (access, input) => {
      const body = registeredModelTagBody.parse(input);
      await setRegisteredModelTag(access, body.name, body.key, body.value);
      return {};
    },
  },
  {
    method: "DELETE",
    path: "/registered-models/delete-tag",
    handle: async (access, input) => {
      const body = registeredModelTagRef.parse(input);
      await deleteRegisteredModelTag(access, body.name, body.key);
      return {};
    },
  },
  {
    method: "POST",
    path: "/registered-models/alias",
    handle: async (access, input) => {
      const body = aliasBody.parse(input);
      await setModelAlias(access, body.name, body.alias, body.version);
      return {};
    },
  },
  {
    method: "DELETE",
    path: "/registered-models/alias",
    handle: async (access, input) => {
      const body = aliasRef.parse(input);
      await deleteModelAlias(access, body.name, body.alias);
      return {};
    },
  },
  {
    method: "GET",
    path: "/registered-models/alias",
    handle: async (access, input) => {
      const body = aliasRef.parse(input);
      return { model_version: modelVersionWire(await modelVersionByAlias(access, body.name, body.alias)) };
    },
  },
  {
    method: "POST",
    path: "/model-versions/create",
    handle: async (access, input) => {
      const body = createModelVersionBody.parse(input);
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
  },
  {
    method: "GET",
    path: "/model-versions/get",
    handle: async (access, input) => {
      const body = modelVersionRef.parse(input);
      return { model_version: modelVersionWire(await getModelVersion(access, body.name, body.version)) };
    },
  },
  {
    method: "PATCH",
    path: "/model-versions/update",
    handle: async (access, input) => {
      const body = updateModelVersionBody.parse(input);
      return { model_version: modelVersionWire(await updateModelVersion(access, body.name, body.version, body.description)) };
    },
  },
  {
    method: "DELETE",
    path: "/model-versions/delete",
    handle: async (access, input) => {
      const body = modelVersionRef.parse(input);
      await deleteModelVersion(access, body.name, body.version);
      return {};
    },
  },
  {
    method: "POST",
    path: "/model-versions/transition-stage",
    handle: async (access, input) => {
      const body = transitionStageBody.parse(input);
      const version = await transitionModelVersionStage(access, body.name, body.version, {
        stage: body.stage,
        archiveExisting: body.archive_existing_versions,
      });
      return { model_version: modelVersionWire(version) };
    },
  },
  {
    method: "GET",
    path: "/model-versions/get-download-uri",
    handle: async (access, input) => {
      const body = modelVersionRef.parse(input);
      return { artifact_uri: await modelVersionDownloadUri(access, body.name, body.version) };
    },
  },
  {
    method: "POST",
    path: "/model-versions/set-tag",
    handle: async (access, input) => {
      const body = modelVersionTagBody.parse(input);
      await setModelVersionTag(access, body.name, body.version, body.key, body.value);
      return {};
    },
  },
  {
    method: "DELETE",
    path: "/model-versions/delete-tag",
    handle: async (access, input) => {
      const body = modelVersionTagRef.parse(input);
      await deleteModelVersionTag(access, body.name, body.version, body.key);
      return {};
    },
  },
];
