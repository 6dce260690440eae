import { db } from "@/server/db/client";
import { assertScope, type ProjectAccess } from "../access";

/** Why a history row breaks the chain. */
export type LedgerBreak =
  /** The row's content no longer gives its stored digest: it was edited. */
  | "content-changed"
  /** The row does not link to the row before it: a row was deleted, inserted or reordered. */
  | "link-broken"
  /** The row has no digest at all: written around the database trigger that seals every row. */
  | "unsealed";

export interface LedgerVerification {
  rows: number;
  /** The newest row's digest: record it elsewhere to detect later deletion of the newest rows. */
  head: string | null;
  firstBroken: {
    id: string;
    kind: string;
    modelName: string;
    version: number | null;
    createdAt: Date;
    problem: LedgerBreak;
  } | null;
  /** When a previously recorded head was given: whether the chain still contains it. */
  expectedHeadFound?: boolean;
}

interface ChainRow {
  id: bigint;
  kind: string;
  modelName: string;
  version: number | null;
  createdAt: Date;
  hash: string | null;
  prevHash: string | null;
  recomputed: string;
  previousHash: string | null;
}

/**
 * Recomputes the project's registry ledger in the database, with the same digest function the
 * insert trigger uses (docs/registry-ledger.md), and names the first row that breaks the chain.
 */
export async function verifyLedger(access: ProjectAccess, options: { expectHead?: string } = {}): Promise<LedgerVerification> {
  assertScope(access, "audit:read");
  const rows = await db().$queryRaw<ChainRow[]>`
    SELECT e."id", e."kind", e."modelName", e."version", e."createdAt", e."hash", e."prevHash",
           registry_event_digest(e."prevHash", e) AS "recomputed",
           lag(e."hash") OVER (ORDER BY e."id") AS "previousHash"
    FROM "RegistryEvent" e
    WHERE e."projectId" = ${access.project.id}
    ORDER BY e."id"`;
  const broken = rows.find((row) => problemOf(row) !== null);
  const expected = options.expectHead?.trim().toLowerCase();
  return {
    rows: rows.length,
    head: rows.at(-1)?.hash ?? null,
    firstBroken: broken
      ? {
          id: broken.id.toString(),
          kind: broken.kind,
          modelName: broken.modelName,
          version: broken.version,
          createdAt: broken.createdAt,
          problem: problemOf(broken)!,
        }
      : null,
    ...(expected === undefined ? {} : { expectedHeadFound: rows.some((row) => row.hash === expected) }),
  };
}

function problemOf(row: ChainRow): LedgerBreak | null {
  if (row.hash === null) return "unsealed";
  if (row.prevHash !== row.previousHash) return "link-broken";
  if (row.hash !== row.recomputed) return "content-changed";
  return null;
}
