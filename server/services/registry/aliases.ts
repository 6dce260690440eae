import { notFound } from "@/lib/errors";
import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { loadVersionByAlias, modelNotFound } from "./load";
import type { ModelVersion } from "./types";

export async function modelVersionByAlias(access: ProjectAccess, name: string, alias: string): Promise<ModelVersion> {
  assertScope(access, "project:read");
  const version = await loadVersionByAlias(db(), access.project.id, name, alias);
  if (version === "no model") throw modelNotFound(name);
  if (version === "no alias") throw notFound(`Registered model alias ${alias} not found.`);
  return version;
}
