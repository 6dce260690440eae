import Link from "next/link";
import type { ModelVersion } from "@/server/services/registry";
import { versionHref } from "./links";
import { AliasChip, StageBadge } from "./stage-badge";

/** The cells every versions table starts with: a link to the version, its stage and its aliases. */
export function versionCells(slug: string, version: Pick<ModelVersion, "modelName" | "version" | "stage" | "aliases">) {
  return [
    <Link key="v" className="font-medium text-indigo-600 hover:underline" href={versionHref(slug, version.modelName, version.version)}>
      v{version.version}
    </Link>,
    <StageBadge key="stage" stage={version.stage} />,
    <span key="aliases" className="flex flex-wrap gap-1">
      {version.aliases.length ? version.aliases.map((alias) => <AliasChip key={alias} alias={alias} />) : "—"}
    </span>,
  ];
}
