import { afterAll, inject } from "vitest";
import { disconnectDb } from "@/server/db/client";
import { closePgPool } from "@/server/db/pool";
import { stopInvalidationListener } from "@/server/services/cache-invalidation";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.TALLY_AUTH_SECRET ??= "integration-tests-secret-0123456789abcdef";

afterAll(async () => {
  await disconnectDb();
  await closePgPool();
  await stopInvalidationListener();
});
