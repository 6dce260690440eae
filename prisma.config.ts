// Prisma CLI configuration. The CLI talks to PostgreSQL through a JavaScript driver adapter and the
// WebAssembly schema engine, because the native engines cannot be downloaded on offline machines
// (docs/architecture.md, "Prisma offline recipe"). The 7.x adapter is used here because the 6.19
// one cannot decode the `name` columns the schema engine reads while migrating (prisma/orm#27403).
import { defineConfig } from "prisma/config";
import { PrismaPg } from "pg-adapter-migrate";

// schema.prisma names env("DATABASE_URL"), and the 6.19 CLI cannot even read the schema (generate,
// migrate diff) without a value.
const PLACEHOLDER_URL = "postgresql://database-url-not-set.invalid/tally";
process.env.DATABASE_URL ??= PLACEHOLDER_URL;

export default defineConfig({
  schema: "prisma/schema.prisma",
  engine: "js",
  experimental: { adapter: true },
  // The adapter connects lazily, so commands that never reach a database work with the placeholder;
  // the others fail on its unresolvable host name, which says what is missing.
  // A short idle timeout lets the CLI exit as soon as it is done instead of waiting out the pool.
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL ?? PLACEHOLDER_URL, idleTimeoutMillis: 50 }),
});
