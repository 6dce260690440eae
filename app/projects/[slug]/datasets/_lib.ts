import { cache } from "react";
import { findOr404, serverCaller } from "@/server/trpc/rsc";
import { modelNameOf } from "../models/_lib";

/** A dataset name from its URL segment, decoded as model names are. */
export const datasetNameOf = modelNameOf;

/** The dataset with its versions, once per request; missing or not visible: 404 (an outage stays an error). */
export const loadDataset = cache(async (slug: string, name: string) => {
  const caller = await serverCaller();
  return findOr404(() => caller.datasets.get({ projectSlug: slug, name }));
});
