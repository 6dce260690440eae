import { PrismaPg } from "@prisma/adapter-pg";
import { poolConfig } from "./connection";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;
export type { Prisma } from "./generated/client";

const globalForPrisma = globalThis as unknown as { tallyPrisma?: PrismaClient };

function createClient(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(poolConfig()) });
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
}
