import { parseDocument } from "yaml";
import { badInput } from "@/lib/errors";
import { MAX_DVC_FILE_LENGTH } from "@/lib/schemas/dvc-import";

/** Most problems one refusal lists; a badly broken file would otherwise produce a wall of text. */
const MAX_LISTED_PROBLEMS = 10;

/**
 * Reads an uploaded YAML file (`field` names it in errors: "lock", "dvcYaml") into plain values.
 * Anything YAML itself refuses (syntax, duplicate keys, self-referencing aliases) is BAD_INPUT with
 * the line and column.
 */
export function readYaml(field: string, text: string): unknown {
  if (text.length > MAX_DVC_FILE_LENGTH) throw badInput(`${field} is longer than ${MAX_DVC_FILE_LENGTH} characters`);
  const document = parseDocument(text, { uniqueKeys: true });
  const [error] = document.errors;
  if (error) throw badInput(`${field} is not valid YAML: ${error.message.split("\n")[0]!.replace(/:$/, "")}`);
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
    JSON.stringify(value);
  } catch {
    throw badInput(`${field}: its YAML aliases expand too far or refer to themselves`);
  }
  return value;
}

export const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return JSON.stringify(value);
}

/** Key paths as people read them: `stages.train@0.deps[1].md5`. */
export const keyPath = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/** Problems found while walking one file, reported together as one BAD_INPUT naming each key path. */
export class Problems {
  private readonly list: string[] = [];
  constructor(private readonly field: string) {}

  add(path: string, message: string): void {
    this.list.push(path ? `${path}: ${message}` : message);
  }

  get count(): number {
    return this.list.length;
  }

  throwIfAny(): void {
    if (this.list.length === 0) return;
    const listed = this.list.slice(0, MAX_LISTED_PROBLEMS).join("; ");
    const more = this.list.length > MAX_LISTED_PROBLEMS ? ` (and ${this.list.length - MAX_LISTED_PROBLEMS} more)` : "";
    throw badInput(`${this.field}: ${listed}${more}`);
  }
}
