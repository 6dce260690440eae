import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { MAX_DVC_FILE_LENGTH, MAX_DVC_FILES, MAX_DVC_STAGES } from "@/lib/schemas/dvc-import";
import { declaringStage, parseDvcYaml } from "@/server/services/dvc-import/parse-dvc-yaml";
import { parseDvcLock } from "@/server/services/dvc-import/parse-lock";
import { PIPELINE_LOCK, PIPELINE_YAML } from "../support/dvc-pipeline";

/** The BAD_INPUT message `parse` refuses with; fails the test when it parses. */
function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("BAD_INPUT");
    return (error as AppError).message;
  }
  throw new Error("expected the file to be refused");
}

const CLEAN_MD5 = "c3c6bc2ae8ece4bd2510dca21225c041";
const FEATURES_MD5 = "708b34df1abae98f56177327749c98b1.dir";

describe("parseDvcLock", () => {
  it("reads every stage of a DVC 3 lock, foreach and matrix items included, in the lock's order", () => {
    const stages = parseDvcLock(PIPELINE_LOCK);
    expect(stages.map((stage) => stage.name)).toEqual(["prepare", "featurize", "train@a", "train@b", "evaluate@a-test", "evaluate@b-test"]);
    const [prepare, featurize, trainA] = stages;
    expect(prepare).toMatchObject({
      cmd: "cp data/raw.csv data/clean.csv",
      params: { "params.yaml": { "prepare.seed": 7, "prepare.split": 0.2 } },
      deps: [{ path: "data/raw.csv", md5: CLEAN_MD5, size: 12, nfiles: null }],
      outs: [{ path: "data/clean.csv", md5: CLEAN_MD5, size: 12, nfiles: null }],
    });
    // A directory out: its md5 is the listing's, ending in ".dir", with the number of files.
    expect(featurize!.outs).toEqual([{ path: "data/features", md5: FEATURES_MD5, size: 24, nfiles: 2 }]);
    expect(featurize!.cmd).toBe("mkdir -p data/features && cp data/clean.csv data/features/f.csv && cp data/clean.csv data/features/g.csv");
    expect(trainA!.deps.map((dep) => dep.path)).toEqual(["data/clean.csv", "data/features"]);
    expect(trainA!.params).toEqual({});
  });

  it("identifies a stage's execution by its entry, whatever the key order or quoting", () => {
    const a = parseDvcLock(`schema: '2.0'\nstages:\n  s:\n    cmd: run\n    outs:\n    - path: o\n      md5: ${CLEAN_MD5}\n      size: 1\n`);
    const b = parseDvcLock(`stages:\n  s:\n    outs:\n    - {size: 1, md5: "${CLEAN_MD5}", path: "o"}\n    cmd: 'run'\nschema: "2.0"\n`);
    const changed = parseDvcLock(`schema: '2.0'\nstages:\n  s:\n    cmd: run\n    outs:\n    - path: o\n      md5: ${FEATURES_MD5}\n      size: 1\n`);
    expect(a[0]!.canonical).toBe(b[0]!.canonical);
    expect(changed[0]!.canonical).not.toBe(a[0]!.canonical);
  });

  it("takes a command list, a DVC 2 entry without `hash`, and a stage without deps or params", () => {
    const [stage] = parseDvcLock(`schema: '2.0'\nstages:\n  download:\n    cmd:\n    - curl -o raw.csv https://example.test/raw.csv\n    - gzip raw.csv\n    outs:\n    - path: raw.csv.gz\n      md5: ${CLEAN_MD5}\n`);
    expect(stage).toMatchObject({ cmd: ["curl -o raw.csv https://example.test/raw.csv", "gzip raw.csv"], deps: [], params: {} });
    expect(stage!.outs).toEqual([{ path: "raw.csv.gz", md5: CLEAN_MD5, size: null, nfiles: null }]);
  });

  it("refuses what is not YAML, with the line", () => {
    expect(refusal(() => parseDvcLock("schema: '2.0'\nstages: [prepare\n"))).toMatch(/^lock is not valid YAML: .*line 3/);
    expect(refusal(() => parseDvcLock("schema: '2.0'\nschema: '2.0'\n"))).toMatch(/^lock is not valid YAML: Map keys must be unique at line 2/);
    expect(refusal(() => parseDvcLock("- a\n- b\n"))).toBe("lock: expected a mapping with 'schema' and 'stages', found a list");
  });

  it("refuses a lock of another schema version, and says when it was given a .dvc file", () => {
    expect(refusal(() => parseDvcLock("prepare:\n  cmd: x\n"))).toMatch(/^lock: schema: missing: only the dvc.lock format of DVC 2 and 3/);
    expect(refusal(() => parseDvcLock("schema: '3.0'\nstages: {}\n"))).toBe(
      `lock: schema: expected '2.0' (the dvc.lock format of DVC 2 and 3), found "3.0"`,
    );
    expect(refusal(() => parseDvcLock(`outs:\n- md5: ${CLEAN_MD5}\n  path: raw.csv\n`))).toMatch(/this looks like a \.dvc file/);
  });

  it("names the key path of every malformed entry", () => {
    const message = refusal(() =>
      parseDvcLock(`schema: '2.0'
stages:
  train@0:
    cmd: 3
    deps:
    - path: data/clean.csv
      size: 12
    - path: data/labels.csv
      md5: not-an-md5
    params:
      params.yaml: [lr]
    outs:
    - path: s3://bucket/model.bin
      etag: abc
  evaluate: just text
`),
    );
    expect(message).toBe(
      "lock: stages.train@0.cmd: expected a command (a string or a list of strings), found 3; " +
        "stages.train@0.deps[0].md5: missing: only md5-hashed files can be imported; " +
        'stages.train@0.deps[1].md5: expected 32 hex digits (with ".dir" for a directory), found "not-an-md5"; ' +
        "stages.train@0.params.params.yaml: expected a mapping of parameter names to values, found a list; " +
        "stages.train@0.outs[0].md5: missing (the entry has only etag: DVC records no md5 for it): only md5-hashed files can be imported; " +
        "stages.evaluate: expected the stage's lock entry (a mapping with cmd, deps, outs), found \"just text\"",
    );
  });

  it("refuses an empty pipeline, and locks past the size, stage and file limits", () => {
    expect(refusal(() => parseDvcLock("schema: '2.0'\nstages: {}\n"))).toBe("lock: stages: no stages to import");
    const many = Array.from({ length: MAX_DVC_STAGES + 1 }, (_, i) => `  s${i}:\n    cmd: x\n`).join("");
    expect(refusal(() => parseDvcLock(`schema: '2.0'\nstages:\n${many}`))).toBe(
      `lock: stages: at most ${MAX_DVC_STAGES} stages can be imported at once, found ${MAX_DVC_STAGES + 1}`,
    );
    const file = (i: number) => `    - path: f${i}\n      md5: ${CLEAN_MD5}\n`;
    const wide = `schema: '2.0'\nstages:\n  s:\n    deps:\n${Array.from({ length: MAX_DVC_FILES + 1 }, (_, i) => file(i)).join("")}`;
    expect(refusal(() => parseDvcLock(wide))).toBe(`lock: stages: at most ${MAX_DVC_FILES} deps and outs can be imported at once, found ${MAX_DVC_FILES + 1}`);
    expect(refusal(() => parseDvcLock(`schema: '2.0'\n#${"x".repeat(MAX_DVC_FILE_LENGTH)}`))).toBe(`lock is longer than ${MAX_DVC_FILE_LENGTH} characters`);
  });

  it("refuses aliases that refer to themselves", () => {
    expect(refusal(() => parseDvcLock("schema: '2.0'\nstages:\n  s: &loop\n    params: {p: *loop}\n"))).toMatch(/^lock: its YAML aliases/);
  });
});

describe("parseDvcYaml", () => {
  it("gives plain stages their description and command, foreach and matrix stages their description only", () => {
    const stages = parseDvcYaml(PIPELINE_YAML);
    expect(declaringStage(stages, "prepare")).toEqual({ desc: "Drop malformed rows", cmd: "cp data/raw.csv data/clean.csv" });
    expect(declaringStage(stages, "train@b")).toEqual({ desc: "Train one model per variant", cmd: null });
    expect(declaringStage(stages, "evaluate@a-test")).toEqual({ desc: null, cmd: null });
    expect(declaringStage(stages, "gone")).toBeUndefined();
  });

  it("takes a dvc.yaml without stages, and names what is malformed", () => {
    expect(parseDvcYaml("plots:\n- metrics.json\n").size).toBe(0);
    expect(refusal(() => parseDvcYaml("stages:\n  a:\n    desc: [x]\n  b:\n    foreach: [1]\n    do: nope\n"))).toBe(
      'dvcYaml: stages.a.desc: expected a description, found a list; stages.b.do: expected the stage a foreach item runs, found "nope"',
    );
    expect(refusal(() => parseDvcYaml("stages: [a]\n"))).toBe("dvcYaml: stages: expected a mapping of stage names to stages, found a list");
  });
});
