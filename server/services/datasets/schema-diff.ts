import { badInput, notFound } from "@/lib/errors";
import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";
import { colspecColumns, parseDocument } from "./documents";
import type { DatasetColumn, DatasetSchemaDiff } from "./types";

async function versionColumns(projectId: string, name: string, digest: string): Promise<DatasetColumn[]> {
  const row = await db().dataset.findFirst({
    where: { name, digest, experiment: { projectId } },
    select: { schema: true },
    orderBy: { id: "asc" },
  });
  if (!row) throw badInput(`Dataset '${name}' has no version with digest '${digest}'`);
  const columns = colspecColumns(parseDocument(row.schema));
  if (!columns) throw badInput(`Version '${digest}' of dataset '${name}' has no column schema (mlflow_colspec) to compare`);
  return columns;
}

/** Columns added, removed and with a changed type going from version `digestA` to version `digestB`. */
export async function datasetSchemaDiff(access: ProjectAccess, name: string, digestA: string, digestB: string): Promise<DatasetSchemaDiff> {
  assertScope(access, "project:read");
  const exists = await db().dataset.findFirst({ where: { name, experiment: { projectId: access.project.id } }, select: { id: true } });
  if (!exists) throw notFound(`Dataset '${name}' not found`);
  const before = await versionColumns(access.project.id, name, digestA);
  const after = await versionColumns(access.project.id, name, digestB);
  const beforeByName = new Map(before.map((column) => [column.name, column]));
  const afterByName = new Map(after.map((column) => [column.name, column]));
  return {
    added: after.filter((column) => !beforeByName.has(column.name)),
    removed: before.filter((column) => !afterByName.has(column.name)),
    typeChanged: after.flatMap((column) => {
      const old = beforeByName.get(column.name);
      return old && old.type !== column.type ? [{ name: column.name, from: old.type, to: column.type }] : [];
    }),
  };
}
