import type { TestProject } from "vitest/node";
import { applyMigrations } from "@/server/db/migrate";
import { startScratchPostgres, type RunningPostgres } from "@/server/runtime/embedded-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let postgres: RunningPostgres | undefined;

/** Starts one real PostgreSQL for the integration run and applies every committed migration. */
export async function setup(project: TestProject) {
  postgres = await startScratchPostgres();
  await applyMigrations(postgres.url);
  project.provide("databaseUrl", postgres.url);
}

export async function teardown() {
  await postgres?.stop();
}
