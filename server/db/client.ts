import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;
export type { Prisma } from "./generated/client";

const globalForPrisma = globalThis as unknown as { tallyPrisma?: PrismaClient };

function createClient(): PrismaClient {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error(
      "DATABASE_URL is not set. Start Tally with `npm start` (which runs the embedded PostgreSQL) or set DATABASE_URL.",
    );
  }
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
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
