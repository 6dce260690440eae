import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { cache } from "react";
import { findOr404, serverCaller } from "@/server/trpc/rsc";

/**
 * A model's name from its URL segment. The page gets the segment percent-encoded as in the URL
 * (`a%20b`); a segment that does not decode is taken as it is.
 */
export function modelNameOf(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The model with its versions and history, once per request; missing or not visible: 404 (an outage stays an error). */
export const loadModel = cache(async (slug: string, name: string) => {
  const caller = await serverCaller();
  return findOr404(() => caller.registry.models.get({ projectSlug: slug, name }));
});

export const loadVersion = cache(async (slug: string, name: string, version: number) => {
  if (!Number.isSafeInteger(version) || version < 1) notFound();
  const caller = await serverCaller();
  return findOr404(() => caller.registry.versions.get({ projectSlug: slug, name, version }));
});

/** Where the version's files are, or why the page cannot show them (stored outside Tally, not a run's or logged model's). */
export async function loadVersionFilesRoot(slug: string, name: string, version: number) {
  const caller = await serverCaller();
  try {
    return { root: await caller.registry.versions.filesRoot({ projectSlug: slug, name, version }), problem: null };
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return { root: null, problem: error.message };
    throw error;
  }
}

/** The version's pending promotion requests (a model's pending requests are few: one page holds them). */
export async function loadPendingRequests(slug: string, name: string, version: number) {
  if (!Number.isSafeInteger(version) || version < 1) notFound();
  const caller = await serverCaller();
  const { requests } = await findOr404(() => caller.promotions.list({ projectSlug: slug, view: "all", modelName: name, state: "PENDING", limit: 200 }));
  return requests.filter((request) => request.version === version);
}
