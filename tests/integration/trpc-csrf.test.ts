import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { handleTrpcRequest } from "@/server/trpc/http-handler";
import { uniqueSuffix } from "../factories";

/** A page on another site must not be able to make a signed-in browser change anything. */
describe("tRPC over HTTP refuses cross-site mutations", () => {
  const signUpRequest = (email: string, headers: Record<string, string>) =>
    new Request("http://tally.example/api/trpc/account.signUp", {
      method: "POST",
      headers: { "content-type": "application/json", host: "tally.example", ...headers },
      body: JSON.stringify({ json: { email, password: "a-long-enough-password" } }),
    });

  it("refuses a POST whose Origin is another site, and creates nothing", async () => {
    const email = `csrf-${uniqueSuffix()}@example.test`;
    const response = await handleTrpcRequest(signUpRequest(email, { origin: "https://evil.example" }));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: "FORBIDDEN", message: "Cross-site request refused" } });
    expect(await db().user.count({ where: { email } })).toBe(0);
  });

  it("refuses a POST the browser marks as cross-site", async () => {
    const email = `csrf-${uniqueSuffix()}@example.test`;
    const response = await handleTrpcRequest(signUpRequest(email, { "sec-fetch-site": "cross-site" }));
    expect(response.status).toBe(403);
    expect(await db().user.count({ where: { email } })).toBe(0);
  });
});
