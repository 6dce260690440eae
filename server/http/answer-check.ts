import { parse as parseYaml } from "yaml";
import type { z } from "zod";

/**
 * Outside production every answer of the REST edges is checked against the schema its operation
 * documents, so a test that calls a route also proves the OpenAPI document right about it
 * (docs/api.md). Production skips the work: the fuzzing run checks the served documents instead.
 */
export function checkingAnswers(): boolean {
  return process.env.NODE_ENV !== "production";
}

/** The media type of a response without its parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaTypeOf(response: Response): string {
  return (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * Why `response` does not match the bodies documented for its status (`content`: media type → schema),
 * or null when it does. JSON and YAML are checked as the client reads them: parsed, after serialization.
 */
export async function answerProblem(response: Response, content: Readonly<Record<string, z.ZodType>> | undefined): Promise<string | null> {
  const documented = content ?? {};
  const mediaType = mediaTypeOf(response);
  const text = await response.clone().text();
  if (Object.keys(documented).length === 0) return text === "" ? null : `status ${response.status} documents no body, but one was sent`;
  const schema = documented[mediaType];
  if (!schema) return `status ${response.status} answered ${mediaType || "no content type"}, documented: ${Object.keys(documented).join(", ")}`;
  let body: unknown = text;
  try {
    if (mediaType === "application/json") body = JSON.parse(text);
    // A YAML answer is a document like JSON's: its schema describes the parsed document.
    if (mediaType === "application/yaml") body = parseYaml(text);
  } catch {
    return `status ${response.status} answered ${mediaType} that does not parse`;
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return null;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
  return `status ${response.status} body does not match its schema: ${issues.join("; ")}`;
}
