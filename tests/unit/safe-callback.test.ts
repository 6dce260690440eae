import { describe, expect, it } from "vitest";
import { safeCallbackUrl, sameOriginRedirect } from "@/lib/safe-callback";

const FALLBACK = "/projects";

/** Every shape a browser (or a URL parser on the way) could turn into another origin. */
const offSite = [
  "/.//evil.com",
  "//evil.com",
  "/\\evil.com",
  "\\/evil.com",
  "\\\\evil.com",
  "/%2F%2Fevil.com",
  "/%2f/evil.com",
  "/%5Cevil.com",
  "/%5cevil.com",
  "/\t/evil.com",
  "/\n/evil.com",
  "/\r\n/evil.com",
  " //evil.com",
  "java\tscript:alert(1)",
  "java\nscript:alert(1)",
  "https://evil.com",
  "https://evil.com/projects",
  "http:evil.com",
  "javascript:alert(1)",
  "JavaScript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/./\\evil.com",
  "/.\\/evil.com",
  "/..//evil.com",
  "///evil.com",
  "////evil.com",
];

describe("safeCallbackUrl", () => {
  it.each(offSite)("refuses %j", (value) => {
    expect(safeCallbackUrl(value)).toBe(FALLBACK);
  });

  it("passes a normal path with its query and hash through unchanged", () => {
    expect(safeCallbackUrl("/projects/x/runs/abc?tab=charts#c")).toBe("/projects/x/runs/abc?tab=charts#c");
    expect(safeCallbackUrl("/invite/abc-123")).toBe("/invite/abc-123");
  });

  it("uses the first of repeated parameters and the fallback when there is none", () => {
    expect(safeCallbackUrl(["/projects/a", "//evil.com"])).toBe("/projects/a");
    expect(safeCallbackUrl(undefined)).toBe(FALLBACK);
    expect(safeCallbackUrl("")).toBe(FALLBACK);
    expect(safeCallbackUrl("//evil.com", "/signin")).toBe("/signin");
  });

  it("never returns anything a browser resolves to another origin", () => {
    for (const value of offSite) {
      const target = new URL(safeCallbackUrl(value), "https://tally.example");
      expect(target.origin).toBe("https://tally.example");
    }
  });
});

describe("sameOriginRedirect (next-auth's redirect callback)", () => {
  const baseUrl = "https://tally.example";

  it("keeps paths and absolute URLs on this origin", () => {
    expect(sameOriginRedirect({ url: "/projects/x?tab=runs", baseUrl })).toBe("https://tally.example/projects/x?tab=runs");
    expect(sameOriginRedirect({ url: "https://tally.example/invite/abc", baseUrl })).toBe("https://tally.example/invite/abc");
  });

  it.each([...offSite, "https://tally.example.evil.com/", "https://tally.example@evil.com/", "https://tally.example/.//evil.com"])(
    "sends %j to the fallback on this origin",
    (url) => {
      expect(sameOriginRedirect({ url, baseUrl })).toBe("https://tally.example/projects");
    },
  );
});
