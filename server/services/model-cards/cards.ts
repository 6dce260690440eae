import { badInput, conflict, notFound } from "@/lib/errors";
import { cardSectionTitle, MAX_CARD_SECTION_LENGTH, MAX_CARD_SECTIONS, type CardSections, type ProjectCardSection } from "@/lib/model-cards";
import { db } from "@/server/db/client";
import { transaction, type Tx } from "@/server/db/transaction";
import { actorLabel, assertScope, type ProjectAccess } from "../access";
import { recordRegistryChange, resolveRegistryTarget, type RegistryTarget } from "../registry/internal";
import { projectCardSections } from "./project-sections";

export interface ModelCard {
  target: RegistryTarget;
  /** What the card shows: for a version, the model's sections overlaid with the version's own. */
  sections: CardSections;
  /** The target's own sections (what an edit starts from). */
  ownSections: CardSections;
  /** Section ids whose text comes from the model's card, not the version's. */
  inherited: string[];
  /** The project's own sections, removed ones included (they title the text cards kept in them). */
  projectSections: ProjectCardSection[];
  /** The latest revision of the target's own card: 0 when it was never saved. */
  revision: number;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export interface CardRevision {
  revision: number;
  author: string;
  changeSummary: string;
  createdAt: Date;
  sections: CardSections;
}

type Resolved = Awaited<ReturnType<typeof resolveRegistryTarget>>;
/** Revisions are numbered per card: the model's ("model") and each version's (its row id). */
const cardKey = (resolved: Resolved) => resolved.versionId ?? "model";

async function latestRevision(tx: Tx, modelId: string, target: string) {
  return tx.modelCardRevision.findFirst({ where: { modelId, target }, orderBy: { revision: "desc" } });
}

function sectionsOf(value: unknown): CardSections {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as CardSections) : {};
}

export async function getModelCard(access: ProjectAccess, target: RegistryTarget): Promise<ModelCard> {
  assertScope(access, "project:read");
  const resolved = await resolveRegistryTarget(db(), access, target);
  const own = await latestRevision(db(), resolved.modelId, cardKey(resolved));
  const ownSections = sectionsOf(own?.sections);
  let sections = ownSections;
  let inherited: string[] = [];
  if (resolved.versionId) {
    const modelCard = sectionsOf((await latestRevision(db(), resolved.modelId, "model"))?.sections);
    inherited = Object.keys(modelCard).filter((id) => !ownSections[id]);
    sections = { ...modelCard, ...ownSections };
  }
  return {
    target,
    sections,
    ownSections,
    inherited,
    projectSections: await projectCardSections(db(), access.project.id),
    revision: own?.revision ?? 0,
    updatedBy: own?.author ?? null,
    updatedAt: own?.createdAt ?? null,
  };
}

/**
 * Known section ids and bounded bodies; empty sections are dropped (a version then inherits them
 * again). A removed project section is still known, so a card that holds text in it saves as before.
 */
function checkSections(sections: CardSections, projectSections: ProjectCardSection[]): CardSections {
  const entries = Object.entries(sections);
  if (entries.length > MAX_CARD_SECTIONS) throw badInput(`A card may have at most ${MAX_CARD_SECTIONS} sections`);
  for (const [id, body] of entries) {
    if (!cardSectionTitle(id, projectSections)) {
      throw badInput(
        `Unknown card section '${id}': use a standard section, one of the project's sections or 'custom:<title>' (a title of up to 100 characters)`,
      );
    }
    if (body.length > MAX_CARD_SECTION_LENGTH) throw badInput(`Section '${id}' must be at most ${MAX_CARD_SECTION_LENGTH} characters`);
  }
  return Object.fromEntries(entries.filter(([, body]) => body.trim()));
}

/**
 * Saves the target's card as a new revision. `baseRevision` is the revision the editor started
 * from: when someone saved since, the save is refused, so no edit is ever lost silently.
 */
export async function saveModelCard(
  access: ProjectAccess,
  target: RegistryTarget,
  input: { baseRevision: number; sections: CardSections; changeSummary?: string },
): Promise<ModelCard> {
  assertScope(access, "modelCards:write");
  await transaction(async (tx) => {
    const resolved = await resolveRegistryTarget(tx, access, target, true);
    const sections = checkSections(input.sections, await projectCardSections(tx, access.project.id));
    const latest = await latestRevision(tx, resolved.modelId, cardKey(resolved));
    const current = latest?.revision ?? 0;
    if (current !== input.baseRevision) {
      throw conflict(
        `This card was saved by ${latest?.author ?? "someone"} after you opened it (it is at revision ${current}; your edit started from ${input.baseRevision}). ` +
          "Reload it and apply your change again.",
      );
    }
    const changeSummary = input.changeSummary?.trim() ?? "";
    await tx.modelCardRevision.create({
      data: {
        modelId: resolved.modelId,
        versionId: resolved.versionId,
        target: cardKey(resolved),
        revision: current + 1,
        sections,
        author: actorLabel(access.actor),
        changeSummary,
      },
    });
    await recordRegistryChange(tx, access, resolved, "card.update", { revision: current }, { revision: current + 1, changeSummary });
  });
  return getModelCard(access, target);
}

export async function listCardRevisions(access: ProjectAccess, target: RegistryTarget): Promise<Omit<CardRevision, "sections">[]> {
  assertScope(access, "project:read");
  const resolved = await resolveRegistryTarget(db(), access, target);
  return db().modelCardRevision.findMany({
    where: { modelId: resolved.modelId, target: cardKey(resolved) },
    orderBy: { revision: "desc" },
    select: { revision: true, author: true, changeSummary: true, createdAt: true },
  });
}

export async function getCardRevision(access: ProjectAccess, target: RegistryTarget, revision: number): Promise<CardRevision> {
  assertScope(access, "project:read");
  const resolved = await resolveRegistryTarget(db(), access, target);
  const row = await db().modelCardRevision.findUnique({
    where: { modelId_target_revision: { modelId: resolved.modelId, target: cardKey(resolved), revision } },
  });
  if (!row) throw notFound(`The card has no revision ${revision}`);
  return { revision: row.revision, author: row.author, changeSummary: row.changeSummary, createdAt: row.createdAt, sections: sectionsOf(row.sections) };
}
