import { json } from "@/lib/openapi/operation";
import { dvcImportAnswer } from "@/lib/schemas/api-answers";
import { projectPath } from "@/lib/schemas/api-params";
import { dvcImportBody } from "@/lib/schemas/dvc-import";
import { apiOperation } from "../api-operation";
import { dvcImportWire } from "../dvc-import-wire";
import { importDvcLock } from "@/server/services/dvc-import";

export const POST = apiOperation({
  operationId: "importDvcLock",
  method: "POST",
  path: "/projects/{slug}/datasets/import/dvc",
  summary: "Import a DVC pipeline's dvc.lock",
  description:
    "The stages of a dvc.lock (and its dvc.yaml) become job runs between dataset versions of the project's lineage " +
    "(docs/dvc.md); importing the same lock again changes nothing. A `write` token may.",
  tag: "Lineage",
  auth: "token",
  params: projectPath,
  body: { content: json(dvcImportBody), required: true },
  answers: { 200: { description: "What the import made, and what was already there.", content: json(dvcImportAnswer) } },
}).handle(async ({ access, body }) => ({ status: 200, body: dvcImportWire(await importDvcLock(access, body)) }));
