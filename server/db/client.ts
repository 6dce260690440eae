import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { poolConfig } from "./connection";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;
export type { Prisma } from "./generated/client";

const globalForPrisma = globalThis as unknown as { tallyPrisma?: PrismaClient; tallyPrismaPool?: pg.Pool };

function createClient(): PrismaClient {
  // Our own pool rather than the adapter's, so its saturation can be reported (/metrics).
  const pool = new pg.Pool(poolConfig());
  globalForPrisma.tallyPrismaPool = pool;
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}

/**
 * One client per process. Created lazily so that importing a module never requires a database, and
 * kept on globalThis so Next.js dev reloads don't open a new pool each time.
 */
export function db(): PrismaClient {
  globalForPrisma.tallyPrisma ??= createClient();
  return globalForPrisma.tallyPrisma;
}

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.tallyPrisma?.$disconnect();
  globalForPrisma.tallyPrisma = undefined;
  globalForPrisma.tallyPrismaPool = undefined;
}

/** The pool behind `db()`, once it exists. */
export function prismaPool(): pg.Pool | undefined {
  return globalForPrisma.tallyPrismaPool;
}
