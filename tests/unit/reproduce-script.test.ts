import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cloneFolderOf, reproductionScript, type ReproductionFacts } from "@/server/services/reproduce/script";
import { commentValue, hereDocument, isLiteralCommand, shellQuote } from "@/server/services/reproduce/shell";

/** Values that break naive quoting: quotes, expansions, command substitution, line breaks, the here-document delimiter. */
const HOSTILE = [
  "",
  "plain",
  "it's",
  `"double"`,
  "$HOME",
  "${PATH}",
  "`touch pwned`",
  "$(touch pwned)",
  "a\nb",
  "line\ntouch pwned\n",
  "\r\n# not a comment",
  "'; touch pwned; '",
  "back\\slash",
  "-rf",
  "TALLY_EOF",
  "* ? [a]",
  "tab\there",
  "ünïcödé ✓",
];

const sh = (script: string, options: { cwd?: string; env?: Record<string, string>; input?: string } = {}) =>
  execFileSync("/bin/sh", ["-c", script], { encoding: "utf8", cwd: options.cwd, env: { ...process.env, ...options.env }, input: options.input });

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tally-reproduce-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("shellQuote", () => {
  it.each(HOSTILE)("makes %j exactly one word holding the value", (value) => {
    const dir = tempDir();
    const out = sh(`for word in ${shellQuote(value)}; do printf '%s|' "$word"; done`, { cwd: dir });
    expect(out).toBe(`${value}|`);
    expect(existsSync(path.join(dir, "pwned"))).toBe(false);
  });
});

describe("hereDocument", () => {
  it("passes the content through verbatim, whatever lines it holds", () => {
    const content = ["$HOME `id` $(id)", "TALLY_EOF", "TALLY_EOF_1", "'quoted'", "end"].join("\n");
    const document = hereDocument("cat", content);
    expect(sh(document)).toBe(`${content}\n`);
    expect(document).toMatch(/<<'TALLY_EOF_2'\n/);
  });
});

describe("commentValue", () => {
  it("keeps any value on one line", () => {
    for (const value of HOSTILE) expect(commentValue(value)).not.toMatch(/[\r\n]/);
  });
});

describe("isLiteralCommand", () => {
  it("accepts literal words as the SDK writes them", () => {
    for (const command of [
      "node train.js --lr 0.01",
      "python 'my script.py' --name 'it'\\''s'",
      `python train.py --note "two words"`,
      "python train.py --text 'a\nb'",
      "FOO=bar python -m pkg.train --x=1,2:3@4%5+6",
    ]) {
      expect(isLiteralCommand(command), command).toBe(true);
    }
  });

  it("refuses expansions, operators, redirections, globs and bare line breaks", () => {
    for (const command of [
      "",
      "   ",
      "python train.py; rm -rf ~",
      "python train.py && echo done",
      "python train.py | tee log",
      "python train.py > out",
      "python $SCRIPT",
      "python `which train`",
      `python "$(id)"`,
      "python train.py\nrm -rf /",
      "python *.py",
      "python 'unterminated",
      "~/bin/train",
      "python train.py # comment",
      "python train.py \\",
    ]) {
      expect(isLiteralCommand(command), JSON.stringify(command)).toBe(false);
    }
  });
});

describe("cloneFolderOf", () => {
  it("names the folder git clone would make, in safe characters", () => {
    expect(cloneFolderOf("git@github.com:acme/vision.git")).toBe("vision");
    expect(cloneFolderOf("https://github.com/acme/fraud-model/")).toBe("fraud-model");
    expect(cloneFolderOf("https://example.com/$(id).git")).toBe("id");
    expect(cloneFolderOf("--upload-pack=touch pwned")).toBe("repo");
    expect(cloneFolderOf("/")).toBe("repo");
  });
});

const BARE: ReproductionFacts = {
  runId: "a".repeat(32),
  runName: "bare",
  git: { repoUrl: null, commit: null, branch: null, dirty: null, diff: null, diffTruncated: false },
  entryPoint: null,
  entryPointKind: null,
  command: null,
  workdir: null,
  params: [],
  datasets: [],
  python: { version: null, packages: [], from: [], skipped: [] },
  seeds: [],
  missing: ["Git commit", "Command line"],
};

/** Stub commands that log their arguments (unit and record separators), so a script can run without the network. */
function stubs(dir: string) {
  const bin = path.join(dir, "bin");
  const log = path.join(dir, "calls.log");
  const stub = (name: string, extra = "") => {
    writeFileSync(
      path.join(bin, name),
      `#!/bin/sh\n{ printf '%s' "${name}"; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\036'; } >> "${log}"\n${extra}`,
    );
    chmodSync(path.join(bin, name), 0o755);
  };
  execFileSync("mkdir", ["-p", bin]);
  stub("git", `if [ "$1" = clone ]; then mkdir -p "$4/sub dir"; fi\nif [ "$1" = apply ]; then cat > "${path.join(dir, "applied.diff")}"; fi\n`);
  stub("python3.11", `if [ "$1" = -m ] && [ "$2" = venv ]; then mkdir -p "$3/bin"; fi\n`);
  stub("python3", `if [ "$1" = -m ] && [ "$2" = venv ]; then mkdir -p "$3/bin"; fi\n`);
  stub("python");
  stub("mlflow");
  return {
    // PYTHON empty: the script picks the interpreter itself, whatever the caller's environment says.
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir, PYTHON: "" },
    calls: () =>
      readFileSync(log, "utf8")
        .split("\x1e")
        .filter(Boolean)
        .map((call) => call.split("\x1f")),
  };
}

describe("reproductionScript", () => {
  it("for a bare run, runs nothing and says what was not recorded", () => {
    const script = reproductionScript(BARE);
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(script).toContain("#   - Git commit\n");
    expect(script).toContain("# The run recorded no git commit");
    expect(script).toContain("# Neither the command line nor the entry point was recorded.");
    expect(script).toContain("# No Python version or packages were recorded");
    const commands = script.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(commands).toEqual(["set -eu"]);
  });

  it("checks out the commit, applies the diff, sets up Python and runs the recorded command, with hostile values kept inert", () => {
    const dir = tempDir();
    const stub = stubs(dir);
    const diff = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+$(touch pwned) `touch pwned`\nTALLY_EOF\n";
    const facts: ReproductionFacts = {
      ...BARE,
      runName: "name with\nnewline; touch pwned",
      git: { repoUrl: "https://example.com/acme/vision.git", commit: "0123456789abcdef0123456789abcdef01234567", branch: "feature/$(touch pwned)\nx", dirty: true, diff, diffTruncated: false },
      entryPoint: "train.py",
      entryPointKind: "source",
      command: "python train.py --lr 0.01 --note 'it'\\''s $HOME'",
      workdir: "sub dir",
      params: HOSTILE.map((value, index) => ({ key: `p${index}\n$(touch pwned)`, value })),
      datasets: [{ name: "d\n$(touch pwned)", digest: "abc", sourceType: "s3", sourceUri: "s3://b/`touch pwned`", context: "train\ntouch pwned" }],
      python: {
        version: "3.11.9",
        packages: ["numpy==1.26.4", "scikit-learn==1.5.2", "TALLY_EOF", "$(touch pwned)"],
        from: [{ path: "requirements.txt", loggedModel: { id: "m-1", name: "clf\n$(touch pwned)" }, gave: ["version", "packages"] }],
        skipped: [],
      },
      seeds: [{ key: "seed", value: "42\n$(touch pwned)" }],
      missing: [],
    };
    const script = reproductionScript(facts);
    execFileSync("/bin/sh", ["-n", "-c", script]);
    sh(script, { cwd: dir, env: stub.env });

    expect(stub.calls()).toEqual([
      ["git", "clone", "--", "https://example.com/acme/vision.git", "vision"],
      ["git", "checkout", "--detach", "0123456789abcdef0123456789abcdef01234567"],
      ["git", "apply"],
      ["python3.11", "-m", "venv", ".venv"],
      ["python", "-m", "pip", "install", "-r", ".venv/tally-requirements.txt"],
      ["python", "train.py", "--lr", "0.01", "--note", "it's $HOME"],
    ]);
    expect(readFileSync(path.join(dir, "applied.diff"), "utf8")).toBe(diff);
    expect(readFileSync(path.join(dir, "vision/sub dir/.venv/tally-requirements.txt"), "utf8")).toBe(`${facts.python.packages.join("\n")}\n`);
    expect(existsSync(path.join(dir, "pwned"))).toBe(false);
    expect(existsSync(path.join(dir, "vision/sub dir/pwned"))).toBe(false);
  });

  it("runs an MLflow Project entry point with every param as one quoted -P word", () => {
    const dir = tempDir();
    const stub = stubs(dir);
    const params = HOSTILE.map((value, index) => ({ key: `p${index}`, value }));
    const script = reproductionScript({ ...BARE, entryPoint: "main", entryPointKind: "mlflowProject", params });
    sh(script, { cwd: dir, env: stub.env });
    expect(stub.calls()).toEqual([["mlflow", "run", ".", "-e", "main", "--env-manager", "local", ...params.flatMap(({ key, value }) => ["-P", `${key}=${value}`])]]);
    expect(existsSync(path.join(dir, "pwned"))).toBe(false);
  });

  it("shows a recorded command line that is more than literal words instead of running it", () => {
    const dir = tempDir();
    const stub = stubs(dir);
    const script = reproductionScript({ ...BARE, command: "python train.py; touch pwned" });
    expect(script).toContain('# "python train.py; touch pwned"');
    sh(script, { cwd: dir, env: stub.env });
    expect(existsSync(path.join(dir, "pwned"))).toBe(false);
  });

  it("does not hand git a commit that is not a hash, and does not apply a cut diff", () => {
    const notHash = reproductionScript({ ...BARE, git: { ...BARE.git, repoUrl: "https://example.com/r.git", commit: "--orphan=x" } });
    expect(notHash).not.toContain("git checkout");
    expect(notHash).toContain('# The recorded commit "--orphan=x" is not a commit hash');

    const cut = reproductionScript({ ...BARE, git: { ...BARE.git, commit: "abcdef1", dirty: true, diff: "diff --git a/x b/x\n", diffTruncated: true } });
    expect(cut).toContain("git checkout --detach abcdef1");
    expect(cut).not.toContain("git apply");
    expect(cut).toContain("cannot be applied");
  });

  it("names the source of the Python facts and falls back to python3 without a version", () => {
    const script = reproductionScript({
      ...BARE,
      python: { version: null, packages: ["torch==2.5.1"], from: [{ path: "requirements.txt", loggedModel: null, gave: ["packages"] }], skipped: [] },
    });
    expect(script).toContain(`# Packages from the run's artifact "requirements.txt":`);
    expect(script).toContain('PYTHON="${PYTHON:-python3}"');
    expect(script).toContain("# The Python version was not recorded");
  });
});
