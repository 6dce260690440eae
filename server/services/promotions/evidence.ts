import { STANDARD_CARD_SECTIONS } from "@/lib/model-cards";
import type { StageOrAlias } from "@/lib/model-registry-states";
import { db } from "@/server/db/client";
import type { Tx } from "@/server/db/transaction";
import type { ProjectAccess } from "../access";
import { getModelCard } from "../model-cards";
import { activeFreeze, evaluateMetricRule, NO_HOLDER, type Gate, type RuleDirection } from "../policy";
import { compareModelVersions, type VersionComparison } from "../registry";
import { findModelRow } from "../registry/internal";
import type { CheckResult, EvidenceSide, PromotionEvidence } from "./types";

const GIT_COMMIT_TAG = "mlflow.source.git.commit";

/**
 * The versions holding a target now, newest first: the versions in a stage, or the one an alias
 * points at. An approval compares this with what it was when the request was made.
 */
export async function holdersOf(client: Tx, modelId: string, target: StageOrAlias): Promise<number[]> {
  if (target.kind === "stage") {
    const rows = await client.modelVersion.findMany({ where: { modelId, stage: target.stage }, select: { version: true }, orderBy: { version: "desc" } });
    return rows.map((row) => row.version);
  }
  const alias = await client.modelAlias.findUnique({
    where: { modelId_alias: { modelId, alias: target.alias } },
    select: { version: { select: { version: true } } },
  });
  return alias ? [alias.version.version] : [];
}

/** The holders of a model's target, by the model's name in the caller's project. */
export async function currentHolders(access: ProjectAccess, name: string, target: StageOrAlias): Promise<number[]> {
  const model = await findModelRow(db(), access.project.id, name);
  return holdersOf(db(), model.id, target);
}

async function gitCommitOf(runId: string | null): Promise<string | null> {
  if (!runId) return null;
  const tag = await db().runTag.findUnique({ where: { runId_key: { runId, key: GIT_COMMIT_TAG } }, select: { value: true } });
  return tag?.value ?? null;
}

async function side(
  access: ProjectAccess,
  name: string,
  comparison: VersionComparison,
  index: 0 | 1,
  requiredSections: string[],
): Promise<EvidenceSide> {
  const compared = comparison.versions[index];
  const [card, gitCommit] = await Promise.all([getModelCard(access, { modelName: name, version: compared.version }), gitCommitOf(compared.runId)]);
  const filled = Object.entries(card.sections).filter(([, text]) => text.trim() !== "").map(([id]) => id);
  return {
    version: compared.version,
    stage: compared.stage,
    runId: compared.runId,
    runName: compared.runName,
    gitCommit,
    datasets: comparison.datasets[index],
    cardFilled: filled,
    cardMissing: [...new Set([...requiredSections, ...STANDARD_CARD_SECTIONS.map((section) => section.id)])].filter((id) => !filled.includes(id)),
  };
}

/**
 * The candidate against the newest current holder, side by side, and every check of the gate with
 * its numbers. Metric values are the source runs' latest (a logged model's metrics are logged on its
 * source run, so they are among them).
 */
export async function computeEvidence(
  access: ProjectAccess,
  input: { name: string; version: number; holders: number[]; gate: Gate | null; now?: Date },
): Promise<PromotionEvidence> {
  const { name, version, gate } = input;
  const now = input.now ?? new Date();
  const holderVersion = input.holders.find((held) => held !== version) ?? null;
  // Reads run side by side: an approval recomputes this while it holds the model's lock.
  const comparison = await compareModelVersions(access, name, version, holderVersion ?? version);
  const required = gate?.cardSections ?? [];
  const [candidate, holder] = await Promise.all([
    side(access, name, comparison, 0, required),
    holderVersion === null ? null : side(access, name, comparison, 1, required),
  ]);

  const directions = new Map<string, RuleDirection>((gate?.checks ?? []).map((rule) => [rule.metric, rule.direction]));
  const metrics = comparison.metrics.map((row) => ({
    key: row.key,
    candidate: row.values[0],
    holder: holder ? row.values[1] : null,
    direction: directions.get(row.key) ?? null,
  }));
  const params = comparison.params
    .filter((row) => !holder || row.differs)
    .map((row) => ({ key: row.key, candidate: row.values[0], holder: holder ? row.values[1] : null }));

  const checks: CheckResult[] = [];
  if (gate) {
    const valueOf = (key: string, column: 0 | 1) => {
      const value = comparison.metrics.find((row) => row.key === key)?.values[column];
      return value === null || value === undefined ? undefined : value;
    };
    for (const rule of gate.checks) {
      const result = evaluateMetricRule(rule, valueOf(rule.metric, 0), holder ? valueOf(rule.metric, 1) : NO_HOLDER);
      checks.push({ kind: "metric", ...result });
    }
    if (gate.cardSections.length) {
      const missing = gate.cardSections.filter((id) => !candidate.cardFilled.includes(id));
      checks.push({
        kind: "card",
        passed: missing.length === 0,
        missing,
        detail: missing.length ? `Model card sections to fill: ${missing.join(", ")}` : `Required card sections filled: ${gate.cardSections.join(", ")}`,
      });
    }
    if (gate.datasetWithDigest) {
      const withDigest = candidate.datasets.filter((dataset) => dataset.digest.trim() !== "");
      checks.push({
        kind: "dataset",
        passed: withDigest.length > 0,
        detail: withDigest.length
          ? `Source run consumed ${withDigest.map((dataset) => `${dataset.name}@${dataset.digest}`).join(", ")}`
          : "The source run logged no dataset input with a digest",
      });
    }
    const freeze = activeFreeze(gate, now);
    if (gate.freeze.length) {
      checks.push({
        kind: "freeze",
        passed: freeze === null,
        detail: freeze
          ? `Frozen from ${freeze.from} to ${freeze.to}${freeze.reason ? `: ${freeze.reason}` : ""}`
          : "No freeze window in force",
      });
    }
  }
  return { computedAt: now.toISOString(), candidate, holder, metrics, params, checks, checksPass: checks.every((check) => check.passed) };
}

/** The failing checks in one sentence, for a refusal. */
export function failedChecks(evidence: PromotionEvidence): string {
  return evidence.checks.filter((check) => !check.passed).map((check) => check.detail).join("; ");
}
