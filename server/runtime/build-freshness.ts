import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** True when the production build under `root` is missing or any source file is newer than it. */
export function buildIsStale(root: string): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  const sources = ["app", "components", "lib", "server", "public"].map((dir) => path.join(root, dir));
  const files = ["next.config.mjs", "proxy.ts", "package-lock.json", "tailwind.config.ts", "prisma/schema.prisma"].map((file) =>
    path.join(root, file),
  );
  return [...files, ...sources].some((entry) => newerThan(entry, builtAt));
}

function newerThan(entry: string, time: number): boolean {
  if (!existsSync(entry)) return false;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs > time;
  return readdirSync(entry).some((name) => name !== "generated" && newerThan(path.join(entry, name), time));
}
