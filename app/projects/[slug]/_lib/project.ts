import { notFound } from "next/navigation";
import { cache } from "react";
import { serverCaller } from "@/server/trpc/rsc";

/**
 * The project and the caller's effective role, once per request for the layout and the page. A
 * project the caller may not see (or that does not exist) is a 404 either way.
 */
export const loadProject = cache(async (slug: string) => {
  const caller = await serverCaller();
  try {
    return await caller.projects.get({ projectSlug: slug });
  } catch {
    notFound();
  }
});
