import { confusionMatrix, cosineLr, lossAt, scoreAt } from "./curves";
import type { Dataset, Metric, MlflowRest } from "./mlflow-rest";
import { confusionMatrixPng } from "./png";
import { Random } from "./random";

/**
 * The demo project's story: an image classifier with a learning-rate sweep (nested runs), a tabular
 * churn model, and an LLM fine-tune with long curves, spread over the last two weeks, with datasets,
 * notes, a failed and a killed run, one still running, and artifacts (image, CSV, JSON, markdown).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const USERS = ["ada", "grace", "alan", "katherine"];
const CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

type Status = "FINISHED" | "FAILED" | "KILLED" | "RUNNING";

interface Artifact {
  path: string;
  body: Buffer;
  contentType: string;
}

interface RunPlan {
  experimentId: string;
  name: string;
  startTime: number;
  duration: number;
  status: Status;
  user: string;
  params: Record<string, string | number>;
  tags?: Record<string, string>;
  parentRunId?: string;
  inputs?: { dataset: Dataset; context: string }[];
  /** Points as (key, step, progress 0..1, value); timestamps are spread over the run's duration. */
  metrics: { key: string; step: number; progress: number; value: number }[];
  artifacts?: (runId: string) => Artifact[];
}

export interface DemoSummary {
  experiments: number;
  runs: number;
  points: number;
  artifacts: number;
}

export async function seedDemo(rest: MlflowRest, now: number, progress: (line: string) => void): Promise<DemoSummary> {
  const summary: DemoSummary = { experiments: 0, runs: 0, points: 0, artifacts: 0 };
  const random = new Random(20261122);
  const git = { commit: random.hex(40), branch: "main" };

  const log = async (raw: RunPlan): Promise<string> => {
    // Timestamps are whole epoch milliseconds on the wire.
    const plan = { ...raw, startTime: Math.round(raw.startTime), duration: Math.round(raw.duration) };
    const tags: Record<string, string> = {
      "mlflow.user": plan.user,
      "mlflow.source.type": "LOCAL",
      "mlflow.source.git.commit": git.commit,
      "mlflow.source.git.branch": git.branch,
      "mlflow.source.git.repoURL": "git@github.com:acme/vision.git",
      ...plan.tags,
    };
    if (plan.parentRunId) tags["mlflow.parentRunId"] = plan.parentRunId;
    const { runId, artifactUri } = await rest.createRun({
      experimentId: plan.experimentId,
      name: plan.name,
      startTime: plan.startTime,
      user: plan.user,
      tags,
    });
    await rest.logParams(runId, plan.params);
    if (plan.inputs) await rest.logInputs(runId, plan.inputs);
    const points: Metric[] = plan.metrics.map((point) => ({
      key: point.key,
      step: point.step,
      value: point.value,
      timestamp: Math.round(plan.startTime + point.progress * plan.duration),
    }));
    await rest.logMetrics(runId, points);
    for (const artifact of plan.artifacts?.(runId) ?? []) {
      await rest.logArtifact(artifactUri, artifact.path, artifact.body, artifact.contentType);
      summary.artifacts += 1;
    }
    if (plan.status !== "RUNNING") await rest.finishRun(runId, plan.status, plan.startTime + plan.duration);
    summary.runs += 1;
    summary.points += points.length;
    return runId;
  };

  progress("image-classifier: learning-rate sweep and architecture runs");
  await imageClassifier(rest, log, random, now);
  progress("churn-prediction: gradient-boosted trees");
  await churnPrediction(rest, log, random, now);
  progress("llm-finetune: LoRA fine-tunes with long curves");
  await llmFinetune(rest, log, random, now);
  progress("fraud-detection: a data pipeline, training runs, registered versions and their aliases (the lineage chain)");
  const aliases = await fraudDetection(rest, log, random, now);
  progress(`fraud-detector: ${aliases}`);
  summary.experiments = 4;
  return summary;
}

type LogRun = (plan: RunPlan) => Promise<string>;

const json = (value: unknown): Artifact["body"] => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
const text = (value: string): Artifact["body"] => Buffer.from(value);

function dataset(name: string, source: string, rows: number, random: Random, columns: Record<string, string>): Dataset {
  return {
    name,
    digest: random.hex(8),
    source_type: source.startsWith("s3://") ? "s3" : "http",
    source: JSON.stringify({ uri: source }),
    schema: JSON.stringify({ mlflow_colspec: Object.entries(columns).map(([column, type]) => ({ name: column, type })) }),
    profile: JSON.stringify({ num_rows: rows, num_elements: rows * Object.keys(columns).length }),
  };
}

async function imageClassifier(rest: MlflowRest, log: LogRun, random: Random, now: number) {
  const experimentId = await rest.createExperiment("image-classifier", {
    "mlflow.note.content": "CIFAR-10 classifiers. Goal: **val_accuracy ≥ 0.93** at under 25M parameters.",
    team: "vision",
  });
  const train = dataset("cifar10-train", "s3://acme-datasets/cifar10/train", 50_000, random, { image: "tensor", label: "long" });
  const test = dataset("cifar10-test", "s3://acme-datasets/cifar10/test", 10_000, random, { image: "tensor", label: "long" });
  const inputs = [
    { dataset: train, context: "training" },
    { dataset: test, context: "evaluation" },
  ];

  const epochs = 30;
  const stepsPerEpoch = 40;
  const curves = (learningRate: number, quality: number, diverges: boolean, stopAt = 1) => {
    const points: RunPlan["metrics"] = [];
    const lastEpoch = Math.max(1, Math.round(epochs * stopAt));
    for (let epoch = 1; epoch <= lastEpoch; epoch++) {
      const p = epoch / epochs;
      const blowUp = diverges && epoch > 6;
      for (let batch = 0; batch < stepsPerEpoch; batch++) {
        const step = (epoch - 1) * stepsPerEpoch + batch;
        const value = blowUp ? Number.NaN : lossAt(step / (epochs * stepsPerEpoch), 2.3, 0.15 + (1 - quality), 4, random, 0.12);
        points.push({ key: "train/batch_loss", step, progress: step / (epochs * stepsPerEpoch), value });
      }
      const valLoss = blowUp ? Number.POSITIVE_INFINITY : lossAt(p, 2.1, 0.25 + (1 - quality) * 1.5, 3.5, random);
      points.push({ key: "train_loss", step: epoch, progress: p, value: blowUp ? Number.NaN : lossAt(p, 2.0, 0.12 + (1 - quality), 4, random) });
      points.push({ key: "val_loss", step: epoch, progress: p, value: valLoss });
      points.push({ key: "val_accuracy", step: epoch, progress: p, value: blowUp ? 0.1 : scoreAt(p, 0.35, quality, 4, random) });
      points.push({ key: "learning_rate", step: epoch, progress: p, value: cosineLr(p, learningRate) });
    }
    return points;
  };
  const finalAccuracy = (points: RunPlan["metrics"]) => points.filter((point) => point.key === "val_accuracy").at(-1)?.value ?? 0;

  const sweepStart = now - 9 * DAY;
  const sweepId = await log({
    experimentId,
    name: "lr-sweep",
    startTime: sweepStart,
    duration: 7 * HOUR,
    status: "FINISHED",
    user: "grace",
    params: { search: "grid", architecture: "resnet18", epochs },
    tags: { "mlflow.note.content": "Grid over learning rate x batch size for **resnet18**. Children are the trials." },
    metrics: [],
  });
  let trial = 0;
  for (const learningRate of [0.3, 0.1, 0.03, 0.01]) {
    for (const batchSize of [64, 128, 256]) {
      const diverges = learningRate === 0.3 && batchSize === 64;
      const quality = 0.9 - Math.abs(Math.log10(learningRate / 0.05)) * 0.06 - (batchSize === 256 ? 0.01 : 0) + 0.01 * random.gaussian();
      const metrics = curves(learningRate, quality, diverges, diverges ? 0.3 : 1);
      await log({
        experimentId,
        name: `trial-${String(++trial).padStart(2, "0")}`,
        parentRunId: sweepId,
        startTime: sweepStart + trial * 30 * 60_000,
        duration: (diverges ? 0.4 : 1.2) * HOUR,
        status: diverges ? "FAILED" : "FINISHED",
        user: "grace",
        params: { architecture: "resnet18", learning_rate: learningRate, batch_size: batchSize, optimizer: "sgd", momentum: 0.9, epochs },
        tags: diverges ? { "mlflow.note.content": "Diverged at epoch 7 (loss became NaN)." } : {},
        inputs,
        metrics,
      });
    }
  }

  const architectures = [
    { name: "resnet18", params: 11.2, quality: 0.912 },
    { name: "resnet34", params: 21.3, quality: 0.927 },
    { name: "resnet50", params: 23.5, quality: 0.934 },
    { name: "efficientnet-b0", params: 5.3, quality: 0.921 },
    { name: "vit-tiny", params: 5.7, quality: 0.884 },
    { name: "convnext-tiny", params: 28.6, quality: 0.941 },
    { name: "resnet50", params: 23.5, quality: 0.938 },
    { name: "efficientnet-b0", params: 5.3, quality: 0.925 },
  ];
  for (const [index, architecture] of architectures.entries()) {
    const killed = index === 4;
    const augment = index >= 6 ? "randaugment" : random.pick(["flip-crop", "autoaugment"]);
    const metrics = curves(0.05, architecture.quality, false, killed ? 0.55 : 1);
    const accuracy = finalAccuracy(metrics);
    const start = now - (8 - index) * DAY + random.integer(1, 10) * HOUR;
    await log({
      experimentId,
      name: `${architecture.name}-${augment}`,
      startTime: start,
      duration: (2 + architecture.params / 10) * HOUR * (killed ? 0.55 : 1),
      status: killed ? "KILLED" : "FINISHED",
      user: random.pick(USERS),
      params: {
        architecture: architecture.name,
        parameters_millions: architecture.params,
        learning_rate: 0.05,
        batch_size: 128,
        optimizer: random.pick(["sgd", "adamw"]),
        weight_decay: 5e-4,
        augmentation: augment,
        label_smoothing: index % 2 === 0 ? 0.1 : 0,
        epochs,
      },
      tags: {
        "mlflow.source.name": "train.py",
        "python.version": "3.11.9",
        "torch.version": "2.5.1",
        ...(architecture.name === "convnext-tiny" ? { candidate: "true" } : {}),
      },
      inputs,
      metrics,
      artifacts: killed ? undefined : () => imageArtifacts(architecture.name, accuracy, random),
    });
  }
  return experimentId;
}

function imageArtifacts(architecture: string, accuracy: number, random: Random): Artifact[] {
  const matrix = confusionMatrix(CLASSES.length, 1000, accuracy, random);
  const perClass = CLASSES.map((name, index) => ({ class: name, precision: matrix[index]![index]! / 1000 }));
  const predictions = ["id,label,predicted,confidence"];
  for (let id = 0; id < 200; id++) {
    const label = random.pick(CLASSES);
    const correct = random.next() < accuracy;
    predictions.push(`${id},${label},${correct ? label : random.pick(CLASSES)},${random.between(correct ? 0.6 : 0.3, 0.99).toFixed(3)}`);
  }
  return [
    { path: "plots/confusion_matrix.png", body: confusionMatrixPng(matrix), contentType: "image/png" },
    { path: "eval/predictions.csv", body: text(`${predictions.join("\n")}\n`), contentType: "text/csv" },
    { path: "eval/metrics.json", body: json({ architecture, val_accuracy: Number(accuracy.toFixed(4)), per_class: perClass }), contentType: "application/json" },
    {
      path: "README.md",
      body: text(
        `# ${architecture} on CIFAR-10\n\nValidation accuracy **${(accuracy * 100).toFixed(1)}%**.\n\n` +
          `| setting | value |\n| --- | --- |\n| epochs | 30 |\n| batch size | 128 |\n\nSee \`plots/confusion_matrix.png\` for per-class errors.\n`,
      ),
      contentType: "text/markdown",
    },
    { path: "requirements.txt", body: text("torch==2.5.1\ntorchvision==0.20.1\nnumpy==2.1.3\nmlflow==3.17.2\n"), contentType: "text/plain" },
  ];
}

async function churnPrediction(rest: MlflowRest, log: LogRun, random: Random, now: number) {
  const experimentId = await rest.createExperiment("churn-prediction", { team: "growth" });
  const customers = dataset("customers-2026-10", "s3://acme-datasets/churn/2026-10.parquet", 184_220, random, {
    tenure_months: "long",
    plan: "string",
    monthly_spend: "double",
    support_tickets: "long",
    churned: "boolean",
  });
  const holdout = dataset("customers-2026-11-holdout", "s3://acme-datasets/churn/2026-11.parquet", 20_410, random, { churned: "boolean" });
  for (let index = 0; index < 14; index++) {
    const model = index % 3 === 0 ? "lightgbm" : "xgboost";
    const estimators = random.pick([100, 200, 400, 800]);
    const depth = random.integer(3, 10);
    const learningRate = random.pick([0.03, 0.05, 0.1, 0.2]);
    const ceiling = 0.86 + 0.02 * Math.min(estimators / 400, 1.5) - 0.006 * Math.abs(depth - 6) + 0.005 * random.gaussian();
    const rounds = estimators / 25;
    const metrics: RunPlan["metrics"] = [];
    for (let round = 1; round <= rounds; round++) {
      const p = round / rounds;
      metrics.push({ key: "val_auc", step: round * 25, progress: p, value: scoreAt(p, 0.7, ceiling, 5 * learningRate * 10, random, 0.002) });
      metrics.push({ key: "val_logloss", step: round * 25, progress: p, value: lossAt(p, 0.6, 0.3 + (0.9 - ceiling), 4, random, 0.01) });
    }
    const auc = metrics.filter((point) => point.key === "val_auc").at(-1)!.value;
    const precision = Math.min(0.95, auc - 0.12 + 0.02 * random.gaussian());
    const recall = Math.min(0.95, auc - 0.18 + 0.03 * random.gaussian());
    for (const [key, value] of Object.entries({ auc, precision, recall, f1: (2 * precision * recall) / (precision + recall) })) {
      metrics.push({ key, step: 0, progress: 1, value });
    }
    const features = ["tenure_months", "monthly_spend", "support_tickets", "plan", "last_login_days", "discount"];
    await log({
      experimentId,
      name: `${model}-d${depth}-n${estimators}`,
      startTime: now - random.between(0.2, 13) * DAY,
      duration: random.between(4, 25) * 60_000,
      status: "FINISHED",
      user: random.pick(USERS),
      params: { model_type: model, n_estimators: estimators, max_depth: depth, learning_rate: learningRate, subsample: random.pick([0.7, 0.8, 1]) },
      tags: { "mlflow.source.name": "notebooks/churn.ipynb", "mlflow.source.type": "NOTEBOOK" },
      inputs: [
        { dataset: customers, context: "training" },
        { dataset: holdout, context: "evaluation" },
      ],
      metrics,
      artifacts: () => [
        {
          path: "feature_importance.csv",
          body: text(`feature,importance\n${features.map((feature) => `${feature},${random.between(0.01, 0.4).toFixed(4)}`).join("\n")}\n`),
          contentType: "text/csv",
        },
        { path: "metrics.json", body: json({ auc, precision, recall }), contentType: "application/json" },
      ],
    });
  }
}

async function llmFinetune(rest: MlflowRest, log: LogRun, random: Random, now: number) {
  const experimentId = await rest.createExperiment("llm-finetune", { team: "nlp", base_model: "llama-3.2-1b" });
  const instructions = dataset("support-instructions-v3", "https://data.acme.example/support/v3.jsonl", 48_900, random, {
    prompt: "string",
    response: "string",
  });
  const plans: { rank: number; learningRate: number; status: Status; stopAt: number }[] = [
    { rank: 8, learningRate: 2e-4, status: "FINISHED", stopAt: 1 },
    { rank: 16, learningRate: 2e-4, status: "FINISHED", stopAt: 1 },
    { rank: 32, learningRate: 1e-4, status: "FINISHED", stopAt: 1 },
    { rank: 64, learningRate: 1e-4, status: "FAILED", stopAt: 0.2 },
    { rank: 32, learningRate: 3e-4, status: "FINISHED", stopAt: 1 },
    { rank: 16, learningRate: 1e-4, status: "RUNNING", stopAt: 0.45 },
  ];
  const totalSteps = 3000;
  for (const [index, plan] of plans.entries()) {
    const floor = 0.9 + 16 / plan.rank / 40 + Math.abs(Math.log10(plan.learningRate / 2e-4)) * 0.08;
    const metrics: RunPlan["metrics"] = [];
    const lastStep = Math.round(totalSteps * plan.stopAt);
    for (let step = 1; step <= lastStep; step++) {
      const p = step / totalSteps;
      metrics.push({ key: "loss", step, progress: p, value: lossAt(p, 3.2, floor, 6, random, 0.05) });
      if (step % 100 === 0) {
        metrics.push({ key: "eval_loss", step, progress: p, value: lossAt(p, 3.0, floor + 0.08, 5, random, 0.01) });
        metrics.push({ key: "tokens_per_second", step, progress: p, value: 5200 - plan.rank * 12 + 150 * random.gaussian() });
      }
    }
    const running = plan.status === "RUNNING";
    const start = running ? now - 1.5 * HOUR : now - (6 - index) * DAY;
    await log({
      experimentId,
      name: `lora-r${plan.rank}-lr${plan.learningRate}`,
      startTime: start,
      duration: running ? 1.5 * HOUR : 5 * HOUR * plan.stopAt,
      status: plan.status,
      user: "katherine",
      params: { base_model: "llama-3.2-1b", lora_rank: plan.rank, lora_alpha: plan.rank * 2, learning_rate: plan.learningRate, max_steps: totalSteps, bf16: "true" },
      tags: {
        "mlflow.source.name": "finetune/train_lora.py",
        ...(plan.status === "FAILED" ? { "mlflow.note.content": "CUDA out of memory at step 600 with rank 64; retry with gradient checkpointing." } : {}),
      },
      inputs: [{ dataset: instructions, context: "training" }],
      metrics,
      artifacts:
        plan.status === "FINISHED"
          ? () => [
              {
                path: "samples.json",
                body: json([
                  { prompt: "How do I reset my password?", response: "Open Settings, choose Security, then Reset password." },
                  { prompt: "Can I change my plan mid-month?", response: "Yes: the difference is prorated on your next invoice." },
                ]),
                contentType: "application/json",
              },
              { path: "training_args.json", body: json({ lora_rank: plan.rank, learning_rate: plan.learningRate, warmup_ratio: 0.03 }), contentType: "application/json" },
            ]
          : undefined,
    });
  }
}

/**
 * The lineage chain a newcomer opens first: raw transactions → cleaned → features (two pipeline runs
 * that log what they read and what they wrote) → two training runs → fraud-detector v1 and v2, with
 * v2 as `challenger` (`champion` is left to a person: the default policy gates it).
 */
async function fraudDetection(rest: MlflowRest, log: LogRun, random: Random, now: number): Promise<string> {
  const experimentId = await rest.createExperiment("fraud-detection", { team: "risk" });
  const columns = { amount: "double", merchant: "string", country: "string", hour: "long", is_fraud: "boolean" };
  const raw = dataset("transactions-raw", "s3://acme-lake/raw/transactions/2026-11/", 2_418_330, random, columns);
  const clean = dataset("transactions-clean", "s3://acme-lake/clean/transactions-2026-11.parquet", 2_397_104, random, columns);
  const features = dataset("fraud-features", "s3://acme-lake/features/fraud-2026-11.parquet", 2_397_104, random, {
    ...columns,
    amount_zscore: "double",
    merchant_risk: "double",
  });
  const holdout = dataset("fraud-holdout", "s3://acme-lake/features/fraud-holdout-2026-11.parquet", 120_000, random, columns);
  const step = (name: string, hoursAgo: number, input: Dataset, output: Dataset, command: string) =>
    log({
      experimentId,
      name,
      startTime: now - hoursAgo * HOUR,
      duration: 20 * 60_000,
      status: "FINISHED",
      user: "grace",
      params: { command },
      tags: { "mlflow.source.name": command.split(" ")[1] ?? command },
      inputs: [
        { dataset: input, context: "input" },
        { dataset: output, context: "output" },
      ],
      metrics: [{ key: "rows_out", step: 0, progress: 1, value: Number(JSON.parse(output.profile ?? "{}").num_rows ?? 0) }],
    });
  await step("clean-transactions", 30, raw, clean, "python pipelines/clean.py --month 2026-11");
  await step("build-features", 28, clean, features, "python pipelines/features.py --month 2026-11");

  const versions: number[] = [];
  for (const [index, depth] of [6, 8].entries()) {
    const auc = 0.91 + 0.02 * index + 0.003 * random.gaussian();
    const runId = await log({
      experimentId,
      name: `xgboost-fraud-d${depth}`,
      startTime: now - (26 - index * 4) * HOUR,
      duration: 45 * 60_000,
      status: "FINISHED",
      user: "ada",
      params: { model_type: "xgboost", max_depth: depth, n_estimators: 600, seed: 42 + index },
      tags: { "mlflow.source.name": "train_fraud.py" },
      inputs: [
        { dataset: features, context: "training" },
        { dataset: holdout, context: "evaluation" },
      ],
      metrics: [
        { key: "auc", step: 0, progress: 1, value: auc },
        { key: "recall_at_1pct_fpr", step: 0, progress: 1, value: auc - 0.31 },
      ],
    });
    const loggedModel = await rest.createLoggedModel(experimentId, "model", runId);
    versions.push(await rest.registerVersion("fraud-detector", loggedModel, runId));
  }
  const newest = versions.at(-1)!;
  await rest.setAlias("fraud-detector", "challenger", newest);
  // `champion` is gated by the default policy: promoting v2 is a person's decision (Requests).
  return `v${newest} is challenger; request champion for it from the version page`;
}
