import { cache } from "react";
import { findOr404, serverCaller } from "@/server/trpc/rsc";

/**
 * The project and the caller's effective role, once per request for the layout and the page. A
 * project the caller may not see (or that does not exist) is a 404 either way; a failure is not.
 */
export const loadProject = cache(async (slug: string) => {
  const caller = await serverCaller();
  return findOr404(() => caller.projects.get({ projectSlug: slug }));
});

/** Pending promotion requests the signed-in person can decide: the Requests tab's badge, once per request. */
export const loadDecidableCount = cache(async (slug: string) => {
  const caller = await serverCaller();
  return caller.promotions.decidableCount({ projectSlug: slug });
});
