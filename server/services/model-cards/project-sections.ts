import { badInput, conflict, notFound } from "@/lib/errors";
import {
  MAX_CARD_SECTION_TITLE_LENGTH,
  MAX_PROJECT_CARD_SECTIONS,
  PROJECT_SECTION_PREFIX,
  STANDARD_CARD_SECTIONS,
  type ProjectCardSection,
} from "@/lib/model-cards";
import { db } from "@/server/db/client";
import { transaction, type Tx } from "@/server/db/transaction";
import { assertScope, type ProjectAccess } from "../access";
import { recordAudit } from "../audit";

/**
 * The sections a project adds to every model card. Cards store their text under the section's id,
 * never its title, and a section is never deleted, only marked removed: so neither a rename nor a
 * removal can take text away from a card (docs/permissions.md, "Model card sections").
 */

type SectionRow = { id: string; title: string; removedAt: Date | null };

const asSection = (row: SectionRow): ProjectCardSection => ({ id: `${PROJECT_SECTION_PREFIX}${row.id}`, title: row.title, removed: row.removedAt !== null });
const titleKeyOf = (title: string) => title.trim().toLowerCase();

/** Every section the project has defined, removed ones included, in the project's order. */
export async function projectCardSections(tx: Tx, projectId: string): Promise<ProjectCardSection[]> {
  const rows = await tx.projectCardSection.findMany({ where: { projectId }, orderBy: { position: "asc" } });
  return rows.map(asSection);
}

export async function listProjectCardSections(access: ProjectAccess): Promise<ProjectCardSection[]> {
  assertScope(access, "project:read");
  return projectCardSections(db(), access.project.id);
}

/** Section changes of one project happen one at a time: titles stay unique and positions dense. */
async function lockProject(tx: Tx, projectId: string) {
  await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${projectId} FOR UPDATE`;
}

function checkTitle(title: string): string {
  const trimmed = title.trim();
  if (!trimmed) throw badInput("A section title must not be empty");
  if (trimmed.length > MAX_CARD_SECTION_TITLE_LENGTH) throw badInput(`A section title may be at most ${MAX_CARD_SECTION_TITLE_LENGTH} characters`);
  if (STANDARD_CARD_SECTIONS.some((section) => section.title.toLowerCase() === trimmed.toLowerCase())) {
    throw badInput(`"${trimmed}" is already a standard section of every card`);
  }
  return trimmed;
}

async function findSection(tx: Tx, access: ProjectAccess, sectionId: string) {
  const id = sectionId.startsWith(PROJECT_SECTION_PREFIX) ? sectionId.slice(PROJECT_SECTION_PREFIX.length) : "";
  const row = id ? await tx.projectCardSection.findFirst({ where: { id, projectId: access.project.id } }) : null;
  if (!row) throw notFound(`Card section ${sectionId} not found in project "${access.project.slug}"`);
  return row;
}

const audited = (section: SectionRow) => ({ title: section.title, removed: section.removedAt !== null });

/**
 * Adds a section to every card of the project. Adding the title of a removed section brings that
 * section back, with whatever text cards still hold in it.
 */
export async function addProjectCardSection(access: ProjectAccess, title: string): Promise<ProjectCardSection> {
  assertScope(access, "modelCards:configure");
  const clean = checkTitle(title);
  return transaction(async (tx) => {
    await lockProject(tx, access.project.id);
    const existing = await tx.projectCardSection.findMany({ where: { projectId: access.project.id } });
    const active = existing.filter((row) => row.removedAt === null);
    if (active.length >= MAX_PROJECT_CARD_SECTIONS) throw badInput(`A project may define at most ${MAX_PROJECT_CARD_SECTIONS} card sections`);
    const same = existing.find((row) => row.titleKey === titleKeyOf(clean));
    if (same?.removedAt === null) throw conflict(`The project's cards already have a section "${same.title}"`);
    const position = Math.max(0, ...existing.map((row) => row.position)) + 1;
    const row = same
      ? await tx.projectCardSection.update({ where: { id: same.id }, data: { title: clean, removedAt: null, position } })
      : await tx.projectCardSection.create({ data: { projectId: access.project.id, title: clean, titleKey: titleKeyOf(clean), position } });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "card_section.add",
      resourceType: "cardSection",
      resourceId: row.id,
      actorRole: access.roleSnapshot,
      before: same ? audited(same) : undefined,
      after: audited(row),
    });
    return asSection(row);
  });
}

/** Renames a section: cards keep their text, now under the new title. */
export async function renameProjectCardSection(access: ProjectAccess, sectionId: string, title: string): Promise<ProjectCardSection> {
  assertScope(access, "modelCards:configure");
  const clean = checkTitle(title);
  return transaction(async (tx) => {
    await lockProject(tx, access.project.id);
    const section = await findSection(tx, access, sectionId);
    if (section.removedAt) throw badInput(`The section "${section.title}" was removed; add it again to change it`);
    const clash = await tx.projectCardSection.findFirst({
      where: { projectId: access.project.id, titleKey: titleKeyOf(clean), NOT: { id: section.id } },
    });
    if (clash) {
      throw conflict(
        clash.removedAt
          ? `A removed section is titled "${clash.title}"; add that title again to bring it back with its text`
          : `The project's cards already have a section "${clash.title}"`,
      );
    }
    const row = await tx.projectCardSection.update({ where: { id: section.id }, data: { title: clean, titleKey: titleKeyOf(clean) } });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "card_section.rename",
      resourceType: "cardSection",
      resourceId: row.id,
      actorRole: access.roleSnapshot,
      before: audited(section),
      after: audited(row),
    });
    return asSection(row);
  });
}

/**
 * Removes a section from the project's cards: cards with no text in it stop showing it; cards that
 * hold text in it keep showing (and exporting) that text under the section's last title.
 */
export async function removeProjectCardSection(access: ProjectAccess, sectionId: string): Promise<ProjectCardSection> {
  assertScope(access, "modelCards:configure");
  return transaction(async (tx) => {
    await lockProject(tx, access.project.id);
    const section = await findSection(tx, access, sectionId);
    if (section.removedAt) return asSection(section);
    const row = await tx.projectCardSection.update({ where: { id: section.id }, data: { removedAt: new Date() } });
    await recordAudit(tx, access.actor, {
      projectId: access.project.id,
      action: "card_section.remove",
      resourceType: "cardSection",
      resourceId: row.id,
      actorRole: access.roleSnapshot,
      before: audited(section),
      after: audited(row),
    });
    return asSection(row);
  });
}
