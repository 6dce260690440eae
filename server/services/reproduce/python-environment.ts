import type { ProjectAccess } from "../access";
import { storagePathOf } from "../artifacts";
import { parseCondaEnv, parsePythonEnv, parseRequirements, type EnvironmentFacts } from "./environment";
import { readCapped } from "./read-file";
import { MAX_ENVIRONMENT_FILE_BYTES } from "./source-tags";
import type { PythonFacts } from "./types";

/** A folder that may hold environment files: a logged model's files, a model under the run's artifacts, or the run's root. */
export interface EnvironmentFolder {
  artifactUri: string;
  /** The folder below `artifactUri` ("" for its root). */
  prefix: string;
  loggedModel: { id: string; name: string } | null;
}

type Parser = (text: string) => EnvironmentFacts;

/** The files MLflow writes beside a model, in the order their facts are preferred. */
const FILES: { name: string; parse: Parser }[] = [
  { name: "requirements.txt", parse: (text) => ({ version: null, packages: parseRequirements(text) }) },
  { name: "python_env.yaml", parse: parsePythonEnv },
  { name: "conda.yaml", parse: parseCondaEnv },
];

const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KiB`;

/**
 * The Python version and packages, from the first folder (in the order given) that names each:
 * logged models first, then the run's own artifacts. Within a folder, requirements.txt gives the
 * packages, python_env.yaml then conda.yaml the version (and the packages when there is no
 * requirements.txt). Files too large or not parseable are reported and skipped.
 */
export async function pythonEnvironment(access: ProjectAccess, folders: EnvironmentFolder[]): Promise<PythonFacts> {
  const facts: PythonFacts = { version: null, packages: [], from: [], skipped: [] };
  let packagesFound = false;
  for (const folder of folders) {
    if (facts.version !== null && packagesFound) break;
    if (storagePathOf(folder.artifactUri) === null) continue;
    const reads = await Promise.all(
      FILES.map(async ({ name, parse }) => {
        const path = folder.prefix ? `${folder.prefix}/${name}` : name;
        return { file: { path, loggedModel: folder.loggedModel }, parse, read: await readCapped(access, folder.artifactUri, path, MAX_ENVIRONMENT_FILE_BYTES) };
      }),
    );
    for (const { file, parse, read } of reads) {
      if (read.kind === "missing") continue;
      if (read.kind === "tooLarge") {
        facts.skipped.push({ file, reason: `${kib(read.size)}, over the ${kib(MAX_ENVIRONMENT_FILE_BYTES)} read limit` });
        continue;
      }
      let parsed: EnvironmentFacts;
      try {
        parsed = parse(read.text);
      } catch (error) {
        facts.skipped.push({ file, reason: error instanceof Error ? error.message : String(error) });
        continue;
      }
      const gave: ("version" | "packages")[] = [];
      if (facts.version === null && parsed.version !== null) {
        facts.version = parsed.version;
        gave.push("version");
      }
      if (!packagesFound && parsed.packages.length > 0) {
        facts.packages = parsed.packages;
        packagesFound = true;
        gave.push("packages");
      }
      if (gave.length > 0) facts.from.push({ ...file, gave });
    }
  }
  return facts;
}
