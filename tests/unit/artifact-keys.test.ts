import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { cleanPath, folderKey, joinKey, normalizeArtifactPath, objectKey } from "@/server/storage/keys";

function badInputMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("BAD_INPUT");
    return (error as AppError).message;
  }
  throw new Error("expected BAD_INPUT, but nothing was thrown");
}

describe("normalizeArtifactPath", () => {
  it.each([
    ["dir/f.txt", "dir/f.txt"],
    ["model/MLmodel", "model/MLmodel"],
    ["", ""],
    ["a//b///c", "a/b/c"],
    ["a/./b/.", "a/b"],
    ["trailing/slash/", "trailing/slash"],
    ["my%20file.txt", "my file.txt"],
    ["dir%2Ff.txt", "dir/f.txt"],
    ["caf%C3%A9/r%C3%A9sum%C3%A9.pdf", "café/résumé.pdf"],
    ["100%25.txt", "100%.txt"],
    ["...", "..."],
    ["..hidden/x..y", "..hidden/x..y"],
    ["%2e%2e%2e", "..."],
  ])("turns %j into %j", (raw, expected) => {
    expect(normalizeArtifactPath(raw)).toBe(expected);
  });

  it.each([
    ["..", '".."'],
    ["../secret", '".."'],
    ["a/../../b", '".."'],
    ["a/..", '".."'],
    ["%2e%2e/x", '".."'],
    ["%2E%2E%2Fx", '".."'],
    ["a/%2e%2e", '".."'],
    ["..%2f..%2fetc", '".."'],
    ["/etc/passwd", "absolute"],
    ["%2Fetc%2Fpasswd", "absolute"],
    ["//server/share", "absolute"],
    ["C:/Windows", "Windows drive"],
    ["c:relative", "Windows drive"],
    ["a\\b", "backslash"],
    ["..%5c..%5cwin.ini", "backslash"],
    ["nul%00byte", "control characters"],
    ["line%0Abreak", "control characters"],
    ["%252e%252e/x", "repeated percent-encoding"],
    ["%25252e%25252e%25252fx", "repeated percent-encoding"],
    ["a%252f..%252fb", "repeated percent-encoding"],
    ["%255c", "repeated percent-encoding"],
    ["%2500", "repeated percent-encoding"],
    ["bad%zzescape", "percent-encoding"],
    ["%E0%A4%A", "percent-encoding"],
  ])("refuses %j (%s)", (raw, reason) => {
    expect(badInputMessage(() => normalizeArtifactPath(raw))).toContain(reason);
  });

  it("decodes exactly once: an encoded percent sign stays a literal one", () => {
    expect(normalizeArtifactPath("50%2541")).toBe("50%41");
  });

  it("enforces S3's key length and the filesystem's name length", () => {
    expect(normalizeArtifactPath("a".repeat(255))).toHaveLength(255);
    expect(badInputMessage(() => normalizeArtifactPath("a".repeat(256)))).toContain("255 bytes");
    // Limits count UTF-8 bytes, not characters: "é" is two.
    expect(badInputMessage(() => normalizeArtifactPath("é".repeat(128)))).toContain("255 bytes");
    const long = Array.from({ length: 11 }, () => "d".repeat(100)).join("/");
    expect(badInputMessage(() => normalizeArtifactPath(long))).toContain("1024 bytes");
  });

  it("keeps hostile input out of the error message at length", () => {
    expect(badInputMessage(() => normalizeArtifactPath(`${"x".repeat(5000)}/..`)).length).toBeLessThan(300);
  });
});

describe("cleanPath", () => {
  it("does not decode: percent signs are literal", () => {
    expect(cleanPath("a%2e%2e/b")).toBe("a%2e%2e/b");
    expect(cleanPath("%2e%2e")).toBe("%2e%2e");
  });

  it("refuses traversal without any encoding", () => {
    for (const path of ["..", "a/../b", "/abs", "a\\b", "x\u0000"]) {
      badInputMessage(() => cleanPath(path));
    }
  });
});

describe("joinKey", () => {
  const root = "proj1/exp1/run1/artifacts";

  it("joins a relative path under the prefix", () => {
    expect(joinKey(root, "model/MLmodel")).toBe(`${root}/model/MLmodel`);
    expect(joinKey(root, "a//b/")).toBe(`${root}/a/b`);
    expect(joinKey(root, "")).toBe(root);
    expect(joinKey("", "x/y")).toBe("x/y");
  });

  it.each(["..", "../run2/artifacts/x", "model/../../../run2", "/etc/passwd", "a\\..\\b", "C:/x", "nul\u0000"])(
    "never leaves the prefix for %j",
    (relative) => {
      badInputMessage(() => joinKey(root, relative));
    },
  );

  it("every joined key lies under the prefix", () => {
    for (const relative of ["x", "./x", "x/.", "...", "..x", "x..", ".x/y", "x//y"]) {
      expect(joinKey(root, relative).startsWith(`${root}/`)).toBe(true);
    }
  });

  it("refuses a prefix that is not canonical", () => {
    for (const prefix of ["a//b", "a/", "/a", "a/../b", "./a"]) {
      expect(badInputMessage(() => joinKey(prefix, "x"))).toMatch(/canonical|relative|".."/);
    }
  });

  it("refuses a joined key longer than S3 allows", () => {
    const prefix = Array.from({ length: 5 }, () => "p".repeat(200)).join("/");
    expect(badInputMessage(() => joinKey(prefix, "q".repeat(100)))).toContain("1024 bytes");
  });
});

describe("objectKey and folderKey", () => {
  it("accept canonical keys only", () => {
    expect(objectKey("a/b.txt")).toBe("a/b.txt");
    expect(folderKey("a/b")).toBe("a/b");
    expect(folderKey("")).toBe("");
    expect(badInputMessage(() => objectKey(""))).toContain("empty");
    for (const key of ["a//b", "a/", "./a", "a/./b", "../a", "/a"]) {
      badInputMessage(() => objectKey(key));
      badInputMessage(() => folderKey(key));
    }
  });
});
