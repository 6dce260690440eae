import { describe, expect, it } from "vitest";
import { decoyPasswordHash, hashPassword, verifyPassword } from "@/server/services/users/password";

describe("password hashing", () => {
  it("verifies the password it hashed, and stores no plaintext", async () => {
    const password = "correct horse battery staple";
    const hash = await hashPassword(password);
    expect(hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain(password);
    expect(await verifyPassword(password, hash)).toBe(true);
  });

  it("refuses a wrong password, including near misses", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery stapler", hash)).toBe(false);
    expect(await verifyPassword("Correct horse battery staple", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("salts every hash: the same password hashes differently twice, and both verify", async () => {
    const [first, second] = await Promise.all([hashPassword("same password twice"), hashPassword("same password twice")]);
    expect(first).not.toBe(second);
    expect(await verifyPassword("same password twice", first)).toBe(true);
    expect(await verifyPassword("same password twice", second)).toBe(true);
  });

  it("treats Unicode forms of the same password alike (NFKC)", async () => {
    const composed = "caf\u00e9-password";
    const decomposed = "cafe\u0301-password";
    const hash = await hashPassword(composed);
    expect(await verifyPassword(decomposed, hash)).toBe(true);
  });

  it("refuses anything that is not one of its hashes instead of throwing", async () => {
    expect(await verifyPassword("whatever", "")).toBe(false);
    expect(await verifyPassword("whatever", "bcrypt$2b$10$abc")).toBe(false);
    expect(await verifyPassword("whatever", "plaintext-password")).toBe(false);
  });

  it("has a decoy hash that no ordinary password matches", async () => {
    const decoy = await decoyPasswordHash();
    expect(decoy).toMatch(/^scrypt\$/);
    expect(await decoyPasswordHash()).toBe(decoy);
    expect(await verifyPassword("", decoy)).toBe(false);
    expect(await verifyPassword("password1234", decoy)).toBe(false);
  });
});
