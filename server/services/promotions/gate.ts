import { ApprovalRequiredError, forbidden } from "@/lib/errors";
import { stageOrAliasLabel, type StageOrAlias } from "@/lib/model-registry-states";
import { transaction } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { gateFor, getPolicy, mayApprove, type Gate } from "../policy";
import type { ModelVersion } from "../registry";
import { assertAlias, findModelRow, lockVersion, moveToStage, pointAlias, removeAlias, stageMoveInput } from "../registry/internal";
import { computeEvidence, currentHolders, failedChecks } from "./evidence";
import { requestPromotion } from "./requests";

/** The gate the project's policy puts in front of a target; null when moves to it need no approval. */
export async function gateOf(access: ProjectAccess, target: StageOrAlias): Promise<Gate | null> {
  return gateFor((await getPolicy(access)).policy, target);
}

/**
 * Whether this actor moves through the gate without a request: the admin CLI, or a signed-in person
 * the gate names as approver when one approval suffices and requesters may approve their own
 * requests (so a request would add nothing). Checks still apply to them.
 */
function movesDirectly(access: ProjectAccess, gate: Gate): boolean {
  if (access.actor.type === "SYSTEM") return true;
  return access.actor.type === "USER" && mayApprove(gate, access.role) && gate.approvals === 1 && gate.allowSelfApproval;
}

/**
 * Through a gate: directly when allowed (and the checks pass); else a promotion request when the
 * actor may request one, answered as "approval required" with the request's address; else refused.
 */
async function throughGate(
  access: ProjectAccess,
  gate: Gate,
  move: { name: string; version: number; target: StageOrAlias; archiveExisting: boolean },
): Promise<"direct"> {
  const label = stageOrAliasLabel(move.target);
  if (movesDirectly(access, gate)) {
    if (access.actor.type !== "SYSTEM") {
      const holders = await currentHolders(access, move.name, move.target);
      const evidence = await computeEvidence(access, { name: move.name, version: move.version, holders, gate });
      if (!evidence.checksPass) throw forbidden(`The approval policy's checks for ${label} fail: ${failedChecks(evidence)}`);
    }
    return "direct";
  }
  if (!access.can("promotions:request")) {
    const who = access.actor.type === "TOKEN" ? "this API token (it needs the promote scope to request one)" : `the ${access.role?.toLowerCase()} role`;
    throw forbidden(`Moving version ${move.version} of ${move.name} to ${label} needs approval under the project's policy, and ${who} may not request promotions.`);
  }
  const request = await requestPromotion(access, { ...move, comment: "Requested through a direct move" });
  throw new ApprovalRequiredError(
    `Moving version ${move.version} of ${move.name} to ${label} needs approval under the project's policy. ` +
      `Promotion request ${request.id} is pending`,
    `/projects/${access.project.slug}/requests/${request.id}`,
  );
}

/** Moves a version to a stage, through the policy's gate for that stage. */
export async function transitionModelVersionStage(
  access: ProjectAccess,
  name: string,
  version: number,
  input: { stage: string; archiveExisting: boolean },
): Promise<ModelVersion> {
  const move = stageMoveInput(input);
  const target: StageOrAlias = { kind: "stage", stage: move.stage };
  const gate = await gateOf(access, target);
  if (gate) await throughGate(access, gate, { name, version, target, archiveExisting: move.archiveExisting });
  else assertScope(access, "registry:write");
  return transaction(async (tx) => moveToStage(tx, access, await lockVersion(tx, access, name, version), move));
}

/** Points an alias at a version (moving it), through the policy's gate for that alias. */
export async function setModelAlias(access: ProjectAccess, name: string, alias: string, version: number): Promise<void> {
  assertAlias(alias);
  const target: StageOrAlias = { kind: "alias", alias };
  const gate = await gateOf(access, target);
  if (gate) await throughGate(access, gate, { name, version, target, archiveExisting: false });
  else assertScope(access, "registry:write");
  await transaction(async (tx) => pointAlias(tx, access, await lockVersion(tx, access, name, version), alias));
}

/**
 * Removes an alias. A gated alias is taken away only by someone who could approve moving it (there
 * is nothing to request: a request always names the version to point it at).
 */
export async function deleteModelAlias(access: ProjectAccess, name: string, alias: string): Promise<void> {
  const gate = await gateOf(access, { kind: "alias", alias });
  if (gate && access.actor.type !== "SYSTEM" && !(access.actor.type === "USER" && mayApprove(gate, access.role))) {
    throw forbidden(`Alias ${alias} is protected by the project's approval policy: only those who may approve moving it can remove it.`);
  }
  assertScope(access, "registry:write");
  await transaction(async (tx) => removeAlias(tx, access, await findModelRow(tx, access.project.id, name, true), alias));
}
