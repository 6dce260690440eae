import { describe, expect, it } from "vitest";
import { resolveProjectAccess, type ProjectAccess } from "@/server/services/access";
import { putArtifact, storagePathOf } from "@/server/services/artifacts";
import { createLoggedModel } from "@/server/services/logged-models";
import { createRun, logBatch, logInputs } from "@/server/services/runs";
import { addTestMember, callerFor, createTestProject, systemActor, trpcErrorOf } from "../factories";

const COMMIT = "3b0f44a9e1c2d3b4a5f60718293a4b5c6d7e8f90";
const DIFF = "diff --git a/train.py b/train.py\n--- a/train.py\n+++ b/train.py\n@@ -1 +1 @@\n-lr = 0.1\n+lr = 0.01\n";

async function put(access: ProjectAccess, artifactUri: string, relativePath: string, text: string | Buffer) {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  await putArtifact(access, `${storagePathOf(artifactUri)}/${relativePath}`, bytes, { size: bytes.length });
}

/** A run that recorded everything: source tags as Tally's SDK sets them, params, a dataset, its own requirements.txt and a logged model's environment. */
async function recordedRun() {
  const { project, owner } = await createTestProject();
  const access = await resolveProjectAccess(systemActor, project.slug);
  const run = await createRun(access, {
    experimentId: "0",
    runName: "train-fraud",
    tags: [
      { key: "mlflow.source.git.repoURL", value: "git@github.com:acme/fraud.git" },
      { key: "mlflow.source.git.commit", value: COMMIT },
      { key: "mlflow.source.git.branch", value: "feature/smote" },
      { key: "mlflow.source.name", value: "src/train.py" },
      { key: "mlflow.source.type", value: "LOCAL" },
      { key: "tally.source.git.dirty", value: "true" },
      { key: "tally.source.command", value: "python train.py --lr 0.01 --note 'it'\\''s'" },
      { key: "tally.source.workdir", value: "src" },
    ],
  });
  await logBatch(access, run.id, {
    metrics: [],
    params: [
      { key: "lr", value: "0.01" },
      { key: "random_state", value: "7" },
      { key: "torch_seed", value: "1234" },
      { key: "note", value: "it's $(not run)" },
    ],
    tags: [],
  });
  await logInputs(access, run.id, [
    {
      dataset: { name: "transactions", digest: "d1g357", sourceType: "s3", source: '{"uri": "s3://acme/transactions/v2.parquet"}' },
      tags: [{ key: "mlflow.data.context", value: "train" }],
    },
  ]);
  await put(access, run.artifactUri, "tally/source.diff", DIFF);
  // The run's own requirements.txt loses to the logged model's files; its conda.yaml is over the read limit.
  await put(access, run.artifactUri, "requirements.txt", "pandas==1.0.0\n");
  const model = await createLoggedModel(access, { experimentId: "0", name: "fraud-clf", sourceRunId: run.id, params: [], tags: [] });
  await put(access, model.artifactUri, "requirements.txt", "# written by mlflow\nmlflow==3.1.0\nscikit-learn==1.5.2  # the model\n\npandas==2.2.3\n");
  await put(access, model.artifactUri, "python_env.yaml", "python: 3.10\nbuild_dependencies:\n  - pip==24.2\ndependencies:\n  - -r requirements.txt\n");
  await put(access, model.artifactUri, "conda.yaml", Buffer.alloc(300 * 1024, "#"));
  return { project, owner, access, run, model };
}

describe("the Reproduce panel (runs.reproduce)", () => {
  it("gathers what the run recorded, preferring the logged model's environment, and writes a script from it", async () => {
    const { project, owner, run, model } = await recordedRun();
    const viewer = await addTestMember(project.id, "VIEWER");
    const reproduction = await callerFor(viewer).runs.reproduce({ projectSlug: project.slug, runId: run.id });

    expect(reproduction).toMatchObject({
      runId: run.id,
      runName: "train-fraud",
      git: { repoUrl: "git@github.com:acme/fraud.git", commit: COMMIT, branch: "feature/smote", dirty: true, diff: DIFF, diffTruncated: false },
      entryPoint: "src/train.py",
      entryPointKind: "source",
      command: "python train.py --lr 0.01 --note 'it'\\''s'",
      workdir: "src",
      datasets: [{ name: "transactions", digest: "d1g357", sourceType: "s3", sourceUri: "s3://acme/transactions/v2.parquet", context: "train" }],
      seeds: [
        { key: "random_state", value: "7" },
        { key: "torch_seed", value: "1234" },
      ],
      missing: [],
    });
    expect(reproduction.params).toHaveLength(4);
    const fromModel = { loggedModel: { id: model.id, name: "fraud-clf" } };
    expect(reproduction.python).toEqual({
      version: "3.10",
      packages: ["mlflow==3.1.0", "scikit-learn==1.5.2", "pandas==2.2.3"],
      from: [
        { path: "requirements.txt", ...fromModel, gave: ["packages"] },
        { path: "python_env.yaml", ...fromModel, gave: ["version"] },
      ],
      skipped: [{ file: { path: "conda.yaml", ...fromModel }, reason: "300 KiB, over the 256 KiB read limit" }],
    });

    const { script } = reproduction;
    expect(script).toContain("git clone -- git@github.com:acme/fraud.git fraud\n");
    expect(script).toContain(`git checkout --detach ${COMMIT}\n`);
    expect(script).toContain(`git apply <<'TALLY_EOF'\n${DIFF}TALLY_EOF\n`);
    expect(script).toContain("cd -- src\n");
    expect(script).toContain('PYTHON="${PYTHON:-python3.10}"');
    expect(script).toContain("mlflow==3.1.0\nscikit-learn==1.5.2\npandas==2.2.3\nTALLY_EOF\n");
    expect(script).toContain('#   "note" = "it\'s $(not run)"\n');
    expect(script.trimEnd().split("\n").pop()).toBe("python train.py --lr 0.01 --note 'it'\\''s'");

    // The owner sees the same; a non-member of the project sees nothing.
    expect(await callerFor(owner).runs.reproduce({ projectSlug: project.slug, runId: run.id })).toEqual(reproduction);
    const { owner: stranger } = await createTestProject();
    expect((await trpcErrorOf(callerFor(stranger).runs.reproduce({ projectSlug: project.slug, runId: run.id }))).code).toBe("NOT_FOUND");
  });

  it("lists every fact a bare run did not record, and its script runs nothing it does not know", async () => {
    const { project, owner } = await createTestProject();
    const access = await resolveProjectAccess(systemActor, project.slug);
    const run = await createRun(access, { experimentId: "0", runName: "bare", tags: [] });
    const reproduction = await callerFor(owner).runs.reproduce({ projectSlug: project.slug, runId: run.id });
    expect(reproduction).toMatchObject({
      git: { repoUrl: null, commit: null, branch: null, dirty: null, diff: null, diffTruncated: false },
      entryPoint: null,
      entryPointKind: null,
      command: null,
      workdir: null,
      params: [],
      datasets: [],
      python: { version: null, packages: [], from: [], skipped: [] },
      seeds: [],
    });
    expect(reproduction.missing).toEqual([
      "Git repository URL",
      "Git commit",
      "Git branch",
      "Whether the working tree had uncommitted changes",
      "Entry point",
      "Command line",
      "Params (none logged)",
      "Dataset inputs (none logged)",
      "Python version",
      "Python packages",
      "Random seeds (no param names a seed)",
    ]);
    const commands = reproduction.script.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(commands).toEqual(["set -eu"]);
  });

  it("reads an MLflow 2 model's files from the run's artifacts and an MLflow Project's entry point", async () => {
    const { project, owner } = await createTestProject();
    const access = await resolveProjectAccess(systemActor, project.slug);
    const run = await createRun(access, {
      experimentId: "0",
      tags: [
        { key: "mlflow.source.name", value: "https://github.com/acme/fraud" },
        { key: "mlflow.project.entryPoint", value: "main" },
        { key: "mlflow.source.git.commit", value: COMMIT },
        { key: "tally.source.git.dirty", value: "false" },
        { key: "mlflow.log-model.history", value: JSON.stringify([{ run_id: "x", artifact_path: "model" }, { artifact_path: "../escape" }]) },
      ],
    });
    await logBatch(access, run.id, { metrics: [], params: [{ key: "alpha", value: "0.5" }], tags: [] });
    await put(access, run.artifactUri, "model/conda.yaml", "name: mlflow-env\ndependencies:\n  - python=3.9.18\n  - pip<=23.0\n  - pip:\n    - mlflow==2.9.2\n    - xgboost==2.0.3\n");
    await put(access, run.artifactUri, "tally/source.diff", DIFF);
    const reproduction = await callerFor(owner).runs.reproduce({ projectSlug: project.slug, runId: run.id });
    expect(reproduction.entryPointKind).toBe("mlflowProject");
    expect(reproduction.entryPoint).toBe("main");
    expect(reproduction.python).toMatchObject({
      version: "3.9.18",
      packages: ["mlflow==2.9.2", "xgboost==2.0.3"],
      from: [{ path: "model/conda.yaml", loggedModel: null, gave: ["version", "packages"] }],
    });
    // A clean tree needs no diff: the stored one is not read, and nothing is missing about it.
    expect(reproduction.git).toMatchObject({ dirty: false, diff: null });
    expect(reproduction.missing).toEqual(["Git repository URL", "Git branch", "Command line", "Dataset inputs (none logged)", "Random seeds (no param names a seed)"]);
    expect(reproduction.script).toContain("mlflow run . -e main --env-manager local -P alpha=0.5\n");
    expect(reproduction.script).not.toContain("git apply");
  });

  it("reports a diff over the read limit as missing instead of reading it", async () => {
    const { project, owner } = await createTestProject();
    const access = await resolveProjectAccess(systemActor, project.slug);
    const run = await createRun(access, { experimentId: "0", tags: [{ key: "tally.source.git.dirty", value: "true" }] });
    await put(access, run.artifactUri, "tally/source.diff", Buffer.alloc(600 * 1024, "+"));
    const reproduction = await callerFor(owner).runs.reproduce({ projectSlug: project.slug, runId: run.id });
    expect(reproduction.git.diff).toBeNull();
    expect(reproduction.missing).toContain("The uncommitted changes (tally/source.diff is over 512 KiB)");
  });

  it("answers NOT_FOUND for an unknown run", async () => {
    const { project, owner } = await createTestProject();
    const refused = await trpcErrorOf(callerFor(owner).runs.reproduce({ projectSlug: project.slug, runId: "f".repeat(32) }));
    expect(refused.code).toBe("NOT_FOUND");
  });
});
