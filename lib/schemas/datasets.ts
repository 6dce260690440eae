import { z } from "zod";
import { projectRef } from "./projects";

const datasetName = z.string().min(1).max(1000);
const digest = z.string().min(1).max(1000);

export const listDatasetsInput = projectRef.extend({
  filter: z.string().max(1000).optional(),
  cursor: z.string().max(1000).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const datasetInput = projectRef.extend({ name: datasetName });

export const datasetVersionRunsInput = datasetInput.extend({
  digest,
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const datasetSchemaDiffInput = datasetInput.extend({ digestA: digest, digestB: digest });
