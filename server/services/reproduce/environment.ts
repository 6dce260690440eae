import { parse as parseYaml } from "yaml";

/**
 * Reading a Python environment from the files MLflow writes beside a logged model (requirements.txt,
 * python_env.yaml, conda.yaml) or that a run logged itself. Each parser returns what its file says
 * and nothing more; a file that is not what it claims to be throws, and the caller reports it.
 */

export interface EnvironmentFacts {
  version: string | null;
  packages: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The requirement lines of a requirements.txt: comments and blank lines dropped, options kept (pip reads them). */
export function parseRequirements(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
    .filter((line) => line !== "");
}

/** A reference to another requirements file (`-r requirements.txt`), which the caller reads itself. */
const isFileReference = (requirement: string) => /^(-r|--requirement)(\s|=|$)/.test(requirement);

function yamlDocument(text: string, file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    // The failsafe schema keeps every scalar as written: `python: 3.10` stays "3.10", not the number 3.1.
    parsed = parseYaml(text, { schema: "failsafe" });
  } catch (error) {
    throw new Error(`${file} is not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  if (!isRecord(parsed)) throw new Error(`${file} does not hold a YAML mapping`);
  return parsed;
}

const textOf = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** MLflow's python_env.yaml: `python: 3.11.9`, `dependencies: [-r requirements.txt, ...]`. */
export function parsePythonEnv(text: string): EnvironmentFacts {
  const document = yamlDocument(text, "python_env.yaml");
  const dependencies = Array.isArray(document.dependencies) ? document.dependencies.flatMap((entry) => textOf(entry) ?? []) : [];
  return {
    version: textOf(document.python)?.trim() || null,
    packages: dependencies.map((entry) => entry.trim()).filter((entry) => entry !== "" && !isFileReference(entry)),
  };
}

/** conda.yaml: `dependencies: [python=3.11.9, pip, {pip: [mlflow==2.17.2, ...]}]`; conda's own packages are not pip's. */
export function parseCondaEnv(text: string): EnvironmentFacts {
  const document = yamlDocument(text, "conda.yaml");
  const dependencies = Array.isArray(document.dependencies) ? document.dependencies : [];
  let version: string | null = null;
  const packages: string[] = [];
  for (const entry of dependencies) {
    const spec = textOf(entry)?.trim();
    const python = spec ? /^python\s*=+\s*([0-9][^\s=,]*)$/.exec(spec) : null;
    if (python) version = python[1]!;
    if (isRecord(entry) && Array.isArray(entry.pip)) {
      for (const requirement of entry.pip) {
        const line = textOf(requirement)?.trim();
        if (line && !isFileReference(line)) packages.push(line);
      }
    }
  }
  return { version, packages };
}
