import { badInput } from "@/lib/errors";
import { dvcImportBody } from "@/lib/schemas/dvc-import";
import { readJsonBody } from "@/server/http/body";
import { dvcImportWire } from "@/server/http/dvc-import-wire";
import { jsonResponse } from "@/server/http/json";
import { withApiToken } from "@/server/http/with-api-token";
import { importDvcLock } from "@/server/services/dvc-import";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

/** Imports a DVC pipeline's dvc.lock (and dvc.yaml) into the project's lineage (docs/dvc.md); a `write` token may. */
export async function POST(request: Request, context: Context) {
  const { slug } = await context.params;
  return withApiToken(
    async (req, { access }) => {
      const parsed = dvcImportBody.safeParse(await readJsonBody(req));
      if (!parsed.success) throw badInput(parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "));
      return jsonResponse(dvcImportWire(await importDvcLock(access, parsed.data)));
    },
    slug,
  )(request);
}
