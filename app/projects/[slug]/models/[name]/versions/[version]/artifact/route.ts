import { serveVersionFile } from "@/server/http/run-artifact";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string; name: string; version: string }> };

/** A registered version's file whose storage is not a run's artifacts (a logged model's): previews and downloads. */
export async function GET(request: Request, context: Context) {
  const { slug, name, version } = await context.params;
  let modelName = name;
  try {
    modelName = decodeURIComponent(name);
  } catch {
    // A segment that does not decode is the name as it is.
  }
  const number = Number(version);
  if (!Number.isSafeInteger(number) || number < 1) return new Response("Not found", { status: 404 });
  return serveVersionFile(request, slug, modelName, number);
}
