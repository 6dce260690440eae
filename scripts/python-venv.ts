import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A Python virtualenv at `venv` installed from `requirements`, reinstalled only when that file
 * changes (pip takes minutes even when everything is already there). Returns the venv's `bin`
 * folder. Throws when venv creation or pip fails.
 */
export function ensurePythonVenv(venv: string, requirements: string, announce: () => void): string {
  const bin = path.join(venv, "bin");
  const stamp = path.join(venv, "requirements.sha256");
  const wanted = createHash("sha256").update(readFileSync(requirements)).digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) return bin;
  announce();
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { stdio: "inherit" });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed`);
  };
  if (!existsSync(path.join(bin, "python"))) run("python3", ["-m", "venv", venv]);
  run(path.join(bin, "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements]);
  writeFileSync(stamp, wanted);
  return bin;
}
