import { z } from "zod";
import { createProjectInput, renameProjectInput, slugSchema } from "@/lib/schemas/projects";
import { createProject, deleteProject, listProjects, renameProject } from "../../services/projects";
import { adminProcedure, authedProcedure, projectProcedure, router } from "../init";

export const projectsRouter = router({
  list: authedProcedure.query(({ ctx }) => listProjects(ctx.actor)),
  create: adminProcedure.input(createProjectInput).mutation(({ ctx, input }) => createProject(ctx.actor, input)),
  get: projectProcedure().query(({ ctx }) => ({
    ...ctx.access.project,
    role: ctx.access.role,
    memberRole: ctx.access.memberRole,
  })),
  rename: projectProcedure()
    .input(renameProjectInput)
    .mutation(({ ctx, input }) => renameProject(ctx.access, input.name)),
  delete: projectProcedure()
    .input(z.object({ confirmSlug: slugSchema }))
    .mutation(({ ctx, input }) => deleteProject(ctx.access, input.confirmSlug)),
});
