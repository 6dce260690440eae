import { datasetInput, datasetSchemaDiffInput, datasetVersionRunsInput, listDatasetsInput } from "@/lib/schemas/datasets";
import { datasetSchemaDiff, datasetVersionRuns, getDataset, listDatasets } from "../../services/datasets";
import { projectProcedure, router } from "../init";

/** Dataset versions read from the runs' logged inputs; the service decides who may read. */
export const datasetsRouter = router({
  list: projectProcedure()
    .input(listDatasetsInput)
    .query(({ ctx, input }) => listDatasets(ctx.access, { filter: input.filter, cursor: input.cursor, limit: input.limit })),
  get: projectProcedure()
    .input(datasetInput)
    .query(({ ctx, input }) => getDataset(ctx.access, input.name)),
  versionRuns: projectProcedure()
    .input(datasetVersionRunsInput)
    .query(({ ctx, input }) => datasetVersionRuns(ctx.access, { name: input.name, digest: input.digest, cursor: input.cursor, limit: input.limit })),
  schemaDiff: projectProcedure()
    .input(datasetSchemaDiffInput)
    .query(({ ctx, input }) => datasetSchemaDiff(ctx.access, input.name, input.digestA, input.digestB)),
});
