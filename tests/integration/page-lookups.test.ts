import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { findOr404 } from "@/server/trpc/rsc";

/** What a page does when its lookup fails: "not there for you" is a 404, a failure stays a failure. */
describe("page lookups", () => {
  it.each(["NOT_FOUND", "FORBIDDEN"] as const)("turn %s into the 404 page", async (code) => {
    const failing = findOr404(() => Promise.reject(new TRPCError({ code, message: "no" })));
    await expect(failing).rejects.toMatchObject({ digest: expect.stringContaining("404") });
  });

  it("let a database outage through as an error, not a 404", async () => {
    const outage = new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "connection refused" });
    await expect(findOr404(() => Promise.reject(outage))).rejects.toBe(outage);
    const plain = new Error("ECONNREFUSED");
    await expect(findOr404(() => Promise.reject(plain))).rejects.toBe(plain);
  });

  it("return what the lookup found", async () => {
    expect(await findOr404(() => Promise.resolve({ slug: "x" }))).toEqual({ slug: "x" });
  });
});
