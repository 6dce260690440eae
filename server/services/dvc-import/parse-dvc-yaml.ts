import { command } from "./parse-lock";
import { describeValue, isMapping, keyPath, Problems, readYaml } from "./yaml-input";
import type { DvcYamlStage } from "./types";

/**
 * What dvc.yaml adds to the lock: each stage's `desc`, and its `cmd` for a plain stage. A foreach
 * stage keeps both under `do:`; a matrix stage keeps them at its top; their commands are templates
 * (`${item}`), so the lock's resolved command is the one to show. Keys this import does not use
 * (vars, plots, metrics, artifacts...) are not checked.
 */
export function parseDvcYaml(text: string): Map<string, DvcYamlStage> {
  const root = readYaml("dvcYaml", text);
  const problems = new Problems("dvcYaml");
  const stages = new Map<string, DvcYamlStage>();
  if (!isMapping(root)) {
    problems.add("", `expected a mapping with 'stages', found ${describeValue(root)}`);
    problems.throwIfAny();
  }
  const declared = (root as Record<string, unknown>).stages;
  if (declared === undefined || declared === null) return stages;
  if (!isMapping(declared)) {
    problems.add("stages", `expected a mapping of stage names to stages, found ${describeValue(declared)}`);
    problems.throwIfAny();
  }
  for (const [name, stage] of Object.entries(declared as Record<string, unknown>)) {
    const path = keyPath("stages", name);
    if (!isMapping(stage)) {
      problems.add(path, `expected a stage (a mapping with cmd, deps, outs...), found ${describeValue(stage)}`);
      continue;
    }
    const templated = "foreach" in stage || "matrix" in stage;
    const body = "foreach" in stage ? stage.do : stage;
    const bodyPath = "foreach" in stage ? keyPath(path, "do") : path;
    if (!isMapping(body)) {
      problems.add(bodyPath, `expected the stage a foreach item runs, found ${describeValue(body)}`);
      continue;
    }
    const desc = body.desc;
    if (desc !== undefined && desc !== null && typeof desc !== "string") {
      problems.add(keyPath(bodyPath, "desc"), `expected a description, found ${describeValue(desc)}`);
    }
    const cmd = command(body.cmd, keyPath(bodyPath, "cmd"), problems);
    stages.set(name, { desc: typeof desc === "string" ? desc : null, cmd: templated ? null : cmd });
  }
  problems.throwIfAny();
  return stages;
}

/** The dvc.yaml stage a lock stage comes from: itself, or for `train@0` the foreach/matrix stage `train`. */
export function declaringStage(stages: Map<string, DvcYamlStage>, lockName: string): DvcYamlStage | undefined {
  return stages.get(lockName) ?? stages.get(lockName.split("@")[0]!);
}
