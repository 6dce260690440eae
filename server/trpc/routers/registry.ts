import {
  createModelInput,
  deleteAliasInput,
  listModelsInput,
  modelDescriptionInput,
  modelRefInput,
  modelStateAtInput,
  modelTagInput,
  modelTagRefInput,
  registerFromRunInput,
  renameModelInput,
  runRegistryInput,
  setAliasInput,
  transitionStageInput,
  versionDescriptionInput,
  versionFilesInput,
  compareVersionsInput,
  versionRefInput,
  versionTagInput,
  versionTagRefInput,
} from "@/lib/schemas/registry-ui";
import {
  createRegisteredModel,
  deleteModelVersionTag,
  deleteRegisteredModel,
  deleteRegisteredModelTag,
  modelVersionDetail,
  compareModelVersions,
  listVersionFiles,
  versionFilesRoot,
  versionSignature,
  registeredModelDetail,
  registryStateAt,
  registerLoggedModel,
  renameRegisteredModel,
  runRegistry,
  searchRegisteredModels,
  setModelVersionTag,
  setRegisteredModelTag,
  updateModelVersion,
  updateRegisteredModel,
} from "../../services/registry";
import { deleteModelAlias, setModelAlias, transitionModelVersionStage } from "../../services/promotions";
import { projectProcedure, router } from "../init";

const modelsRouter = router({
  /** One page of the project's registered models, filtered with the registry search grammar. */
  list: projectProcedure()
    .input(listModelsInput)
    .query(({ ctx, input }) =>
      searchRegisteredModels(ctx.access, {
        filter: input.filter,
        orderBy: [input.orderBy],
        maxResults: input.pageSize,
        pageToken: input.cursor ?? undefined,
      }),
    ),
  /** The model, its versions (newest first) and its history (newest first). */
  get: projectProcedure()
    .input(modelRefInput)
    .query(({ ctx, input }) => registeredModelDetail(ctx.access, input.name)),
  /** Time travel: every stage's and alias's holders as they stood at `at`. */
  stateAt: projectProcedure()
    .input(modelStateAtInput)
    .query(({ ctx, input }) => registryStateAt(ctx.access, input.name, input.at)),
  create: projectProcedure()
    .input(createModelInput)
    .mutation(({ ctx, input }) => createRegisteredModel(ctx.access, { name: input.name, description: input.description })),
  updateDescription: projectProcedure()
    .input(modelDescriptionInput)
    .mutation(({ ctx, input }) => updateRegisteredModel(ctx.access, input.name, input.description)),
  setTag: projectProcedure()
    .input(modelTagInput)
    .mutation(({ ctx, input }) => setRegisteredModelTag(ctx.access, input.name, input.key, input.value)),
  deleteTag: projectProcedure()
    .input(modelTagRefInput)
    .mutation(({ ctx, input }) => deleteRegisteredModelTag(ctx.access, input.name, input.key)),
  rename: projectProcedure()
    .input(renameModelInput)
    .mutation(({ ctx, input }) => renameRegisteredModel(ctx.access, input.name, input.newName)),
  delete: projectProcedure()
    .input(modelRefInput)
    .mutation(({ ctx, input }) => deleteRegisteredModel(ctx.access, input.name)),
});

const versionsRouter = router({
  /** The version and a summary of its source run (null when it names none). */
  get: projectProcedure()
    .input(versionRefInput)
    .query(({ ctx, input }) => modelVersionDetail(ctx.access, input.name, input.version)),
  /** Where the version's files are: a folder of its run's artifacts or its logged model's artifacts. */
  filesRoot: projectProcedure()
    .input(versionRefInput)
    .query(({ ctx, input }) => versionFilesRoot(ctx.access, input.name, input.version)),
  /** A folder of the version's files, `path` relative to its storage location. */
  files: projectProcedure()
    .input(versionFilesInput)
    .query(({ ctx, input }) => listVersionFiles(ctx.access, input.name, input.version, input.path)),
  /** The version's MLmodel (flavors, signature) and input example; `mlmodel` is null when there is none. */
  signature: projectProcedure()
    .input(versionRefInput)
    .query(({ ctx, input }) => versionSignature(ctx.access, input.name, input.version)),
  /** This version and `other` of the same model: their source runs' params, latest metrics and datasets. */
  compare: projectProcedure()
    .input(compareVersionsInput)
    .query(({ ctx, input }) => compareModelVersions(ctx.access, input.name, input.version, input.other)),
  updateDescription: projectProcedure()
    .input(versionDescriptionInput)
    .mutation(({ ctx, input }) => updateModelVersion(ctx.access, input.name, input.version, input.description)),
  setTag: projectProcedure()
    .input(versionTagInput)
    .mutation(({ ctx, input }) => setModelVersionTag(ctx.access, input.name, input.version, input.key, input.value)),
  deleteTag: projectProcedure()
    .input(versionTagRefInput)
    .mutation(({ ctx, input }) => deleteModelVersionTag(ctx.access, input.name, input.version, input.key)),
  transitionStage: projectProcedure()
    .input(transitionStageInput)
    .mutation(({ ctx, input }) =>
      transitionModelVersionStage(ctx.access, input.name, input.version, { stage: input.stage, archiveExisting: input.archiveExisting }),
    ),
});

const aliasesRouter = router({
  set: projectProcedure()
    .input(setAliasInput)
    .mutation(({ ctx, input }) => setModelAlias(ctx.access, input.name, input.alias, input.version)),
  delete: projectProcedure()
    .input(deleteAliasInput)
    .mutation(({ ctx, input }) => deleteModelAlias(ctx.access, input.name, input.alias)),
});

export const registryRouter = router({
  models: modelsRouter,
  versions: versionsRouter,
  aliases: aliasesRouter,
  /** Registers one of a run's logged models, creating the registered model when there is none of that name. */
  register: projectProcedure()
    .input(registerFromRunInput)
    .mutation(({ ctx, input }) => registerLoggedModel(ctx.access, input)),
  /** A run's logged models and the versions registered from it. */
  forRun: projectProcedure()
    .input(runRegistryInput)
    .query(({ ctx, input }) => runRegistry(ctx.access, input.runId)),
});
