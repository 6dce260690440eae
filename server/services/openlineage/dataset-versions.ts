import { createHash } from "node:crypto";
import type { OpenLineageDataset } from "@/lib/schemas/openlineage";
import { colspecSchema } from "./colspec";

/** A dataset of an event as the DatasetVersion it names. */
export interface DatasetVersionFact {
  namespace: string;
  name: string;
  digest: string;
  /** False when the event gave no version or content hash: the digest then only names the dataset. */
  versioned: boolean;
  /** `{"uri": "<namespace>/<name>", "namespace", "name"}`, so the datasets pages show the URI. */
  source: string;
  /** The schema facet as `mlflow_colspec` JSON; null without one. */
  schema: string | null;
}

/** A facet the producer marked `_deleted` says "forget this facet": it is not read. */
function live<Facet extends { _deleted?: boolean }>(facet: Facet | undefined): Facet | undefined {
  return facet?._deleted ? undefined : facet;
}

/**
 * The digest of a dataset that came without a version: the same for every event naming it, so all
 * unversioned mentions of one dataset are one version (docs/openlineage.md, "Dataset versions").
 */
export function unversionedDigest(namespace: string, name: string): string {
  return createHash("sha256").update(`${namespace}\u0000${name}`).digest("hex").slice(0, 16);
}

function uriOf(namespace: string, name: string): string {
  return `${namespace.replace(/\/+$/, "")}/${name.replace(/^\/+/, "")}`;
}

export function datasetVersionFact(dataset: OpenLineageDataset): DatasetVersionFact {
  const facets = dataset.facets;
  const declared = live(facets?.version)?.datasetVersion ?? live(facets?.contentHash)?.hash;
  const schema = live(facets?.schema);
  return {
    namespace: dataset.namespace,
    name: dataset.name,
    digest: declared ?? unversionedDigest(dataset.namespace, dataset.name),
    versioned: declared !== undefined,
    source: JSON.stringify({ uri: uriOf(dataset.namespace, dataset.name), namespace: dataset.namespace, name: dataset.name }),
    schema: schema?.fields?.length ? colspecSchema(schema.fields) : null,
  };
}
