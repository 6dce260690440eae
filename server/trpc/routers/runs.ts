import {
  deleteRunTagInput,
  runArtifactsInput,
  runHistoryInput,
  runRefInput,
  RUN_NOTE_TAG,
  setRunNoteInput,
  setRunTagInput,
} from "@/lib/schemas/tracking-ui";
import { listRunArtifacts } from "../../services/artifacts";
import { runReproduction } from "../../services/reproduce";
import { deleteRunTag, getDownsampledHistory, getRunDetail, logBatch, setRunLifecycle } from "../../services/runs";
import { projectProcedure, router } from "../init";

export const runsRouter = router({
  get: projectProcedure()
    .input(runRefInput)
    .query(({ ctx, input }) => getRunDetail(ctx.access, input.runId)),
  /** A bounded, database-side downsampled series (min, max, last per bucket): never the raw points. */
  history: projectProcedure()
    .input(runHistoryInput)
    .query(({ ctx, input }) => getDownsampledHistory(ctx.access, input)),
  artifacts: projectProcedure()
    .input(runArtifactsInput)
    .query(({ ctx, input }) => listRunArtifacts(ctx.access, input.runId, input.path)),
  /** The Reproduce panel: what the run recorded about its code, environment, data and command, and a script. */
  reproduce: projectProcedure()
    .input(runRefInput)
    .query(({ ctx, input }) => runReproduction(ctx.access, input.runId)),
  setTag: projectProcedure()
    .input(setRunTagInput)
    .mutation(({ ctx, input }) => logBatch(ctx.access, input.runId, { metrics: [], params: [], tags: [{ key: input.key, value: input.value }] })),
  deleteTag: projectProcedure()
    .input(deleteRunTagInput)
    .mutation(({ ctx, input }) => deleteRunTag(ctx.access, input.runId, input.key)),
  setNote: projectProcedure()
    .input(setRunNoteInput)
    .mutation(({ ctx, input }) => logBatch(ctx.access, input.runId, { metrics: [], params: [], tags: [{ key: RUN_NOTE_TAG, value: input.note }] })),
  delete: projectProcedure()
    .input(runRefInput)
    .mutation(({ ctx, input }) => setRunLifecycle(ctx.access, input.runId, "deleted")),
  restore: projectProcedure()
    .input(runRefInput)
    .mutation(({ ctx, input }) => setRunLifecycle(ctx.access, input.runId, "active")),
});
