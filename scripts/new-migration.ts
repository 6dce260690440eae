/**
 * npm run db:migration -- <name>
 *
 * Writes the SQL that takes the last committed prisma/schema.prisma to the working copy's, as the
 * next migration. `prisma migrate dev` needs database introspection, which the offline WASM engine
 * cannot do, so migrations are diffed schema-to-schema instead (docs/architecture.md, "Prisma
 * offline recipe").
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startScratchPostgres } from "../server/runtime/embedded-postgres";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name>   (name: lowercase letters, digits, underscores)");
  process.exit(2);
}

let previousSchema: string | undefined;
try {
  previousSchema = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
} catch {
  previousSchema = undefined;
}

const from = previousSchema
  ? ["--from-schema-datamodel", writeTemp(previousSchema)]
  : ["--from-empty"];
// The WASM schema engine needs a live connection even to diff two schema files, so borrow a
// throwaway PostgreSQL unless the caller gave one.
const scratch = process.env.DATABASE_URL ? undefined : await startScratchPostgres();
let sql: string;
try {
  sql = execFileSync(
    "npx",
    ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    { encoding: "utf8", env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? scratch?.url } },
  );
} finally {
  await scratch?.stop();
}

if (!/^\s*[A-Z]/m.test(sql.replace(/^--.*$/gm, ""))) {
  console.error("prisma/schema.prisma has no changes since the last commit: nothing to migrate.");
  process.exit(1);
}

const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
const lock = path.join("prisma", "migrations", "migration_lock.toml");
if (!existsSync(lock)) writeFileSync(lock, 'provider = "postgresql"\n');
console.log(`Wrote ${path.join(dir, "migration.sql")}. Commit it; never edit a migration that was applied.`);

function writeTemp(content: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), "tally-schema-"));
  process.once("exit", () => rmSync(folder, { recursive: true, force: true }));
  const file = path.join(folder, "schema.prisma");
  writeFileSync(file, content);
  return file;
}
