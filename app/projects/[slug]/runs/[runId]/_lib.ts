import { cache } from "react";
import { findOr404, serverCaller } from "@/server/trpc/rsc";

/** The run with what was logged to it, once per request for the layout and its tabs; not visible: 404. */
export const loadRun = cache(async (slug: string, runId: string) => {
  const caller = await serverCaller();
  return findOr404(() => caller.runs.get({ projectSlug: slug, runId }));
});
