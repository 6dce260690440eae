import { comment, commentValue, hereDocument, isLiteralCommand, shellQuote } from "./shell";
import { MAX_DIFF_BYTES, SOURCE_DIFF_ARTIFACT } from "./source-tags";
import type { EnvironmentFile, Reproduction } from "./types";

/**
 * The POSIX shell script of the Reproduce panel (docs/reproducibility.md#the-script). It runs only
 * what the run recorded: every value is a quoted word, every fact shown for information is a comment,
 * and every fact the run did not record is a comment saying so, never a guess.
 */

export type ReproductionFacts = Omit<Reproduction, "script">;

/** Abbreviated or full SHA-1 / SHA-256 object names; anything else is not handed to git. */
const COMMIT_HASH = /^[0-9a-f]{7,64}$/i;

/** The folder `git clone` makes: the repository's last path segment without `.git`, reduced to safe characters. */
export function cloneFolderOf(repoUrl: string): string {
  const last = repoUrl.replace(/[/\\]+$/, "").split(/[/:\\]/).pop() ?? "";
  const name = last.replace(/\.git$/, "").replace(/[^A-Za-z0-9._-]/g, "");
  return name === "" || name.startsWith(".") || name.startsWith("-") ? "repo" : name;
}

export function describeFile(file: EnvironmentFile): string {
  return file.loggedModel
    ? `${commentValue(file.path)} of logged model ${commentValue(file.loggedModel.name)} (${file.loggedModel.id})`
    : `the run's artifact ${commentValue(file.path)}`;
}

function codeSection(facts: ReproductionFacts): string[] {
  const { git } = facts;
  const lines = ["", "# --- Code ---"];
  if (git.commit === null) {
    lines.push(comment("The run recorded no git commit: run this script in a copy of the code the run used."));
  } else {
    if (git.repoUrl !== null) {
      const folder = cloneFolderOf(git.repoUrl);
      // `--` ends git's options: a URL that starts with "-" stays a URL.
      lines.push(`git clone -- ${shellQuote(git.repoUrl)} ${shellQuote(folder)}`, `cd ${shellQuote(folder)}`);
    } else {
      lines.push(comment("The repository's URL was not recorded: run this script inside a clone of it."));
    }
    if (git.branch !== null) lines.push(comment(`The run started on branch ${commentValue(git.branch)}, at this commit:`));
    if (COMMIT_HASH.test(git.commit)) {
      lines.push(`git checkout --detach ${git.commit}`, ...changesLines(facts));
    } else {
      lines.push(comment(`The recorded commit ${commentValue(git.commit)} is not a commit hash, so nothing is checked out.`));
    }
  }
  if (facts.workdir !== null) lines.push(`cd -- ${shellQuote(facts.workdir)}`);
  return lines;
}

function changesLines({ git }: ReproductionFacts): string[] {
  if (git.dirty === false) return [comment("The working tree was clean when the run started.")];
  if (git.diff !== null && !git.diffTruncated) {
    return [comment("Uncommitted changes the SDK captured when the run started:"), hereDocument("git apply", git.diff)];
  }
  if (git.diffTruncated) {
    return [
      comment(`The run had uncommitted changes, but the SDK stored only their first ${MAX_DIFF_BYTES / 1024} KiB`),
      comment(`(${SOURCE_DIFF_ARTIFACT} in the run's artifacts), which cannot be applied: this checkout lacks them.`),
    ];
  }
  if (git.dirty === true) return [comment("The run had uncommitted changes that were not captured: this checkout lacks them.")];
  return [comment("Whether the working tree had uncommitted changes was not recorded: this checkout may differ from the code the run used.")];
}

function pythonSection({ python }: ReproductionFacts): string[] {
  const lines = ["", "# --- Python environment ---"];
  if (python.version === null && python.packages.length === 0) {
    lines.push(comment("No Python version or packages were recorded (no requirements.txt, python_env.yaml or conda.yaml)."));
    return lines;
  }
  const source = (fact: "version" | "packages") => python.from.find((file) => file.gave.includes(fact));
  const versionFile = source("version");
  const minor = python.version !== null ? /^(\d+)\.(\d+)/.exec(python.version) : null;
  if (python.version !== null && versionFile) {
    lines.push(comment(`Python ${commentValue(python.version)}, from ${describeFile(versionFile)}.`));
  } else {
    lines.push(comment("The Python version was not recorded: python3 is used unless PYTHON names another interpreter."));
  }
  const interpreter = minor ? `python${minor[1]}.${minor[2]}` : "python3";
  lines.push(`PYTHON="\${PYTHON:-${interpreter}}"`, `"$PYTHON" -m venv .venv`);
  lines.push('VIRTUAL_ENV="$PWD/.venv"', 'PATH="$VIRTUAL_ENV/bin:$PATH"', "export VIRTUAL_ENV PATH");
  const packagesFile = source("packages");
  if (python.packages.length > 0 && packagesFile) {
    lines.push(comment(`Packages from ${describeFile(packagesFile)}:`));
    lines.push(hereDocument("cat > .venv/tally-requirements.txt", python.packages.join("\n")));
    lines.push("python -m pip install -r .venv/tally-requirements.txt");
  } else {
    lines.push(comment("The Python packages were not recorded: install what the code needs by hand."));
  }
  return lines;
}

function dataSection({ datasets }: ReproductionFacts): string[] {
  if (datasets.length === 0) return ["", "# --- Data ---", comment("The run logged no dataset inputs.")];
  return [
    "",
    "# --- Data ---",
    comment("The run read these dataset versions; put them where the code expects them:"),
    ...datasets.map((dataset) =>
      comment(
        `  ${commentValue(dataset.name)} digest ${commentValue(dataset.digest)} from ${commentValue(dataset.sourceUri)} (${commentValue(dataset.sourceType)}` +
          `${dataset.context !== null ? `, context ${commentValue(dataset.context)}` : ""})`,
      ),
    ),
  ];
}

const paramLine = ({ key, value }: { key: string; value: string }) => comment(`  ${commentValue(key)} = ${commentValue(value)}`);

function runSection(facts: ReproductionFacts): string[] {
  const lines = ["", "# --- Run ---"];
  if (facts.seeds.length > 0) lines.push(comment("Random seeds the run logged as params:"), ...facts.seeds.map(paramLine));
  if (facts.params.length > 0) lines.push(comment("Params the run logged:"), ...facts.params.map(paramLine));
  if (facts.command !== null) {
    if (isLiteralCommand(facts.command)) {
      lines.push(comment("The command line recorded when the run started:"), facts.command);
    } else {
      lines.push(
        comment("The recorded command line is more than literal words (expansions, operators or a line break), so it is shown, not run:"),
        comment(commentValue(facts.command)),
      );
    }
  } else if (facts.entryPoint !== null && facts.entryPointKind === "mlflowProject") {
    lines.push(comment("An MLflow Project run: its entry point with the params it logged."));
    const params = facts.params.flatMap(({ key, value }) => ["-P", shellQuote(`${key}=${value}`)]);
    lines.push(["mlflow run . -e", shellQuote(facts.entryPoint), "--env-manager local", ...params].join(" "));
  } else if (facts.entryPoint !== null) {
    lines.push(
      comment(`The command line was not recorded. The entry point was ${commentValue(facts.entryPoint)}:`),
      comment("run it with the params above as the code reads them."),
    );
  } else {
    lines.push(comment("Neither the command line nor the entry point was recorded."));
  }
  return lines;
}

export function reproductionScript(facts: ReproductionFacts): string {
  const header = [
    "#!/bin/sh",
    comment(`Runs Tally run ${commentValue(facts.runName)} (${facts.runId}) again, from what it recorded.`),
    ...(facts.missing.length > 0 ? [comment("Not recorded, so not in this script:"), ...facts.missing.map((fact) => comment(`  - ${fact}`))] : []),
    "set -eu",
  ];
  return [...header, ...codeSection(facts), ...pythonSection(facts), ...dataSection(facts), ...runSection(facts), ""].join("\n");
}
