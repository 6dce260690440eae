import { stringify } from "yaml";
import { AppError, conflict, forbidden } from "@/lib/errors";
import { db } from "@/server/db/client";
import { transaction, type Tx } from "@/server/db/transaction";
import { actorLabel, assertScope, type ProjectAccess } from "../access";
import { recordAudit } from "../audit";
import { DEFAULT_POLICY } from "./defaults";
import { parsePolicyYaml, policyDocument, policyToYaml } from "./format";
import type { ApprovalPolicy, PolicyDocument, PolicyProblem, PolicyRevisionSummary, StoredPolicy } from "./types";

/** A policy given as YAML (or JSON) text, or as a document (the web form's, or parsed JSON): checked either way. */
export type PolicyInput = { yaml: string } | { document: unknown };

/** A refused policy: BAD_INPUT whose message names every problem's line, with the problems for the UI. */
export class PolicyRefused extends AppError {
  constructor(readonly problems: PolicyProblem[]) {
    super(
      "BAD_INPUT",
      `The policy was refused: ${problems.map((problem) => `line ${problem.line}, column ${problem.column}: ${problem.message}`).join("; ")}`,
    );
  }
}

export type PolicyPreview =
  | { ok: true; policy: ApprovalPolicy; document: PolicyDocument; yaml: string }
  | { ok: false; problems: PolicyProblem[] };

/**
 * A document goes through YAML, so both inputs are checked by the one parser (problems carry the key
 * path, which is what a form shows them by).
 */
function readPolicy(input: PolicyInput): PolicyPreview {
  const text = "yaml" in input ? input.yaml : stringify(input.document);
  const parsed = parsePolicyYaml(text);
  if (!parsed.ok) return parsed;
  return { ok: true, policy: parsed.policy, document: policyDocument(parsed.policy), yaml: policyToYaml(parsed.policy) };
}

function defaultPolicy(): StoredPolicy {
  return {
    policy: DEFAULT_POLICY,
    document: policyDocument(DEFAULT_POLICY),
    yaml: policyToYaml(DEFAULT_POLICY),
    revision: 0,
    isDefault: true,
    updatedBy: null,
    updatedAt: null,
  };
}

/** The project's policy: its latest revision, or the defaults when no one has changed it. */
export async function getPolicy(access: ProjectAccess): Promise<StoredPolicy> {
  return policyInForce(db(), access);
}

/**
 * The same, read with `tx`: a decision taken in a transaction (an approval) sees the policy of that
 * transaction, not one saved while it ran.
 */
export async function policyInForce(tx: Tx, access: ProjectAccess): Promise<StoredPolicy> {
  assertScope(access, "project:read");
  const latest = await tx.policyRevision.findFirst({ where: { projectId: access.project.id }, orderBy: { revision: "desc" } });
  if (!latest) return defaultPolicy();
  const policy = latest.policy as unknown as ApprovalPolicy;
  return {
    policy,
    document: policyDocument(policy),
    yaml: latest.yaml,
    revision: latest.revision,
    isDefault: false,
    updatedBy: latest.author,
    updatedAt: latest.createdAt,
  };
}

/** Every saved revision, newest first (who and when). */
export async function policyRevisions(access: ProjectAccess): Promise<PolicyRevisionSummary[]> {
  assertScope(access, "project:read");
  return db().policyRevision.findMany({
    where: { projectId: access.project.id },
    orderBy: { revision: "desc" },
    select: { revision: true, author: true, createdAt: true },
  });
}

/** Checks a policy without saving it: the parsed policy and its canonical YAML, or every problem with its line. */
export function previewPolicy(access: ProjectAccess, input: PolicyInput): PolicyPreview {
  assertScope(access, "policy:manage");
  return readPolicy(input);
}

/**
 * Saves a new revision (owners: policy:manage). `basedOnRevision` is the revision the editor started
 * from (0 for the defaults): when another save came first the update is refused (CONFLICT), so no
 * change is lost silently; left out, the update applies to whatever is current (a push from git).
 * A policy equal to the current one saves nothing. A refused policy changes nothing.
 */
export async function updatePolicy(
  access: ProjectAccess,
  input: PolicyInput,
  options: { basedOnRevision?: number } = {},
): Promise<StoredPolicy> {
  if (access.actor.type === "TOKEN") {
    throw forbidden(
      "API tokens cannot change the approval policy (it needs policy:manage, which no token grants): only a project owner can, signed in (Settings → Policy, or PUT /api/v1/projects/<slug>/policy with the web app's session)",
    );
  }
  if (!access.can("policy:manage")) {
    throw forbidden(`Only owners can change the approval policy of project "${access.project.slug}" (you are ${access.role?.toLowerCase() ?? "not a member"}; it needs policy:manage)`);
  }
  const read = readPolicy(input);
  if (!read.ok) throw new PolicyRefused(read.problems);
  const projectId = access.project.id;
  await transaction(async (tx) => {
    // One save at a time per project, so revision numbers and the base check cannot race.
    await tx.$executeRaw`SELECT 1 FROM "Project" WHERE "id" = ${projectId} FOR UPDATE`;
    const latest = await tx.policyRevision.findFirst({ where: { projectId }, orderBy: { revision: "desc" } });
    const current = latest?.revision ?? 0;
    if (options.basedOnRevision !== undefined && options.basedOnRevision !== current) {
      throw conflict(
        `The policy was changed by ${latest?.author ?? "someone"} after you opened it (it is at revision ${current}; your edit started from ${options.basedOnRevision}). ` +
          "Reload it and apply your change again.",
      );
    }
    const currentYaml = latest?.yaml ?? policyToYaml(DEFAULT_POLICY);
    if (currentYaml === read.yaml) return;
    const revision = current + 1;
    await tx.policyRevision.create({
      data: {
        projectId,
        revision,
        policy: read.policy as object,
        yaml: read.yaml,
        authorType: access.actor.type,
        authorId: access.actor.type === "USER" ? access.actor.userId : access.actor.type === "TOKEN" ? access.actor.tokenId : null,
        author: actorLabel(access.actor),
      },
    });
    await recordAudit(tx, access.actor, {
      projectId,
      action: "policy.update",
      resourceType: "policy",
      resourceId: projectId,
      actorRole: access.roleSnapshot,
      before: { revision: current, yaml: currentYaml },
      after: { revision, yaml: read.yaml },
    });
  });
  return getPolicy(access);
}
