import { accountRouter } from "./routers/account";
import { auditRouter } from "./routers/audit";
import { compareRouter } from "./routers/compare";
import { dashboardRouter } from "./routers/dashboard";
import { datasetsRouter } from "./routers/datasets";
import { lineageRouter } from "./routers/lineage";
import { experimentsRouter } from "./routers/experiments";
import { invitesRouter } from "./routers/invites";
import { membersRouter } from "./routers/members";
import { modelCardsRouter } from "./routers/model-cards";
import { policyRouter } from "./routers/policy";
import { projectsRouter } from "./routers/projects";
import { promotionsRouter } from "./routers/promotions";
import { registryRouter } from "./routers/registry";
import { savedViewsRouter } from "./routers/saved-views";
import { runsRouter } from "./routers/runs";
import { runsTableRouter } from "./routers/runs-table";
import { tokensRouter } from "./routers/tokens";
import { webhooksRouter } from "./routers/webhooks";
import { createCallerFactory, router } from "./init";

export const appRouter = router({
  account: accountRouter,
  projects: projectsRouter,
  members: membersRouter,
  invites: invitesRouter,
  tokens: tokensRouter,
  audit: auditRouter,
  dashboard: dashboardRouter,
  experiments: experimentsRouter,
  runs: runsRouter,
  compare: compareRouter,
  savedViews: savedViewsRouter,
  runsTable: runsTableRouter,
  datasets: datasetsRouter,
  lineage: lineageRouter,
  modelCards: modelCardsRouter,
  registry: registryRouter,
  promotions: promotionsRouter,
  policy: policyRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
