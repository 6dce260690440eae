import { assertScope, type ProjectAccess } from "../access";
import { getLoggedModel } from "../logged-models";
import { getModelVersion } from "../registry";
import { getRun } from "../runs";

/**
 * Text for the "Training data" and "Evaluation" sections, made from what Tally recorded: the source
 * run's dataset inputs (with digests) and its latest metrics, and the logged model's metrics. The
 * editor inserts it as ordinary, editable text; each line names the fact it came from.
 */
export interface CardFacts {
  trainingData: string;
  evaluation: string;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export async function cardFacts(access: ProjectAccess, modelName: string, version: number): Promise<CardFacts> {
  assertScope(access, "project:read");
  const modelVersion = await getModelVersion(access, modelName, version);
  const run = modelVersion.runId ? await getRun(access, modelVersion.runId) : null;
  const logged = modelVersion.loggedModelId ? await getLoggedModel(access, modelVersion.loggedModelId) : null;

  const datasets = (run?.datasetInputs ?? []).map(({ dataset, tags }) => {
    const context = tags.find((tag) => tag.key === "mlflow.data.context")?.value ?? "input";
    return `- ${cell(context)}: **${cell(dataset.name)}**, digest \`${dataset.digest}\`, source ${cell(dataset.sourceType)} \`${cell(dataset.source)}\` (fact: dataset ${dataset.name}@${dataset.digest})`;
  });
  const trainingData = datasets.length
    ? [`Datasets the source run ${run!.id} consumed:`, "", ...datasets].join("\n")
    : "No dataset inputs are recorded for this version's source run.";

  const metrics = [
    ...(run?.metrics ?? []).map((metric) => ({ ...metric, of: `run ${run!.id}` })),
    ...(logged?.metrics ?? []).map((metric) => ({ ...metric, of: `logged model ${logged!.id}${metric.datasetName ? ` on ${metric.datasetName}` : ""}` })),
  ];
  const evaluation = metrics.length
    ? ["| metric | value | step | from |", "| --- | --- | --- | --- |", ...metrics.map((m) => `| ${cell(m.key)} | ${m.value} | ${m.step} | ${cell(m.of)} |`)].join("\n")
    : "No metrics are recorded for this version's source run or logged model.";
  return { trainingData, evaluation };
}
