import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { compileModelVersionSearch, compileRegisteredModelSearch } from "../tracking-search";
import { executeSearch } from "../tracking-search/internal";
import { loadModels, loadVersions } from "./load";
import type { ModelVersion, RegisteredModel } from "./types";

export interface RegistrySearch {
  filter?: string;
  orderBy?: readonly string[];
  maxResults: number;
  pageToken?: string;
}

export async function searchRegisteredModels(
  access: ProjectAccess,
  input: RegistrySearch,
): Promise<{ models: RegisteredModel[]; nextPageToken?: string }> {
  assertScope(access, "project:read");
  const page = await executeSearch(compileRegisteredModelSearch({ projectId: access.project.id, ...input }));
  return { models: await loadModels(db(), page.ids), nextPageToken: page.nextPageToken };
}

export async function searchModelVersions(
  access: ProjectAccess,
  input: RegistrySearch,
): Promise<{ versions: ModelVersion[]; nextPageToken?: string }> {
  assertScope(access, "project:read");
  const page = await executeSearch(compileModelVersionSearch({ projectId: access.project.id, ...input }));
  return { versions: await loadVersions(db(), page.ids), nextPageToken: page.nextPageToken };
}

/** A value quoted for the search grammar (`name = '…'`), whatever quotes or backslashes it holds. */
export const quotedSearchValue = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
