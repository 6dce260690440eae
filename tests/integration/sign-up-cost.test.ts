import { describe, expect, it, vi } from "vitest";
import { db } from "@/server/db/client";
import type * as PasswordModule from "@/server/services/users/password";
import { callerFor, createTestProject, createTestUser, trpcErrorOf, uniqueSuffix } from "../factories";

/** Password hashing is the expensive step of a sign-up; count how often it runs. */
const hashes = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/server/services/users/password", async (importOriginal) => {
  const original = await importOriginal<typeof PasswordModule>();
  return {
    ...original,
    hashPassword: (password: string) => {
      hashes.count++;
      return original.hashPassword(password);
    },
  };
});

describe("sign-up refusals cost no password hash", () => {
  it("refuses 50 anonymous sign-ups without an invite (TALLY_SIGNUP=invite) before hashing any password", async () => {
    await createTestUser(); // not the first account
    const before = hashes.count;
    const emails = Array.from({ length: 50 }, () => `flood-${uniqueSuffix()}@example.test`);
    const refusals = await Promise.all(
      emails.map((email) => trpcErrorOf(callerFor(null).account.signUp({ email, password: "a-long-enough-password" }))),
    );
    expect(new Set(refusals.map((refusal) => refusal.code))).toEqual(new Set(["FORBIDDEN"]));
    expect(hashes.count - before).toBe(0);
    expect(await db().user.count({ where: { email: { in: emails } } })).toBe(0);
  });

  it("refuses a made-up invite token before hashing", async () => {
    await createTestUser();
    const before = hashes.count;
    const refusal = await trpcErrorOf(
      callerFor(null).account.signUp({ email: `x-${uniqueSuffix()}@example.test`, password: "a-long-enough-password", inviteToken: "made-up" }),
    );
    expect(refusal.code).toBe("BAD_REQUEST");
    expect(hashes.count - before).toBe(0);
  });

  it("hashes once for a sign-up that is allowed (the count above is real)", async () => {
    const { project, owner } = await createTestProject();
    const { token } = await callerFor(owner).invites.create({ projectSlug: project.slug, role: "VIEWER", expiresInDays: 1 });
    const before = hashes.count;
    await callerFor(null).account.signUp({ email: `ok-${uniqueSuffix()}@example.test`, password: "a-long-enough-password", inviteToken: token });
    expect(hashes.count - before).toBe(1);
  });
});
