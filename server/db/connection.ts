import type pg from "pg";
import { config } from "../config";

/**
 * Settings of every pooled connection (Prisma's and the raw pool's). PostgreSQL cancels any single
 * statement that runs past TALLY_STATEMENT_TIMEOUT_MS, so no request can hold a connection and a
 * core for long, whatever it asks.
 */
export function poolConfig(): pg.PoolConfig {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error(
      "DATABASE_URL is not set. Start Tally with `npm start` (which runs the embedded PostgreSQL) or set DATABASE_URL.",
    );
  }
  return { connectionString, statement_timeout: config().TALLY_STATEMENT_TIMEOUT_MS };
}
