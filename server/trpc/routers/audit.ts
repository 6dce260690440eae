import { auditPageInput } from "@/lib/schemas/projects";
import { listAuditEvents } from "../../services/audit";
import { projectProcedure, router } from "../init";

export const auditRouter = router({
  list: projectProcedure()
    .input(auditPageInput)
    .query(({ ctx, input }) => listAuditEvents(ctx.access, { cursor: input.cursor, limit: input.limit })),
});
