import { describe, expect, it } from "vitest";
import {
  displayPrefix,
  generateToken,
  hashSecret,
  isExpired,
  newSalt,
  parseToken,
  secretMatches,
  tokenFromAuthorization,
} from "@/server/services/api-tokens/token-format";

const TOKEN_SHAPE = /^tly_[0-9A-Za-z]{12}_[0-9A-Za-z]{32}$/;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("token generation and parsing", () => {
  it("generates tly_<12 base62>_<32 base62> whose parts are the id and the secret", () => {
    const token = generateToken();
    expect(token.plaintext).toMatch(TOKEN_SHAPE);
    expect(token.id).toMatch(/^[0-9A-Za-z]{12}$/);
    expect(token.secret).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(token.plaintext).toBe(`tly_${token.id}_${token.secret}`);
  });

  it("generates a different token every time", () => {
    const tokens = Array.from({ length: 200 }, () => generateToken());
    expect(new Set(tokens.map((t) => t.id)).size).toBe(200);
    expect(new Set(tokens.map((t) => t.secret)).size).toBe(200);
    for (const token of tokens) expect(token.plaintext).toMatch(TOKEN_SHAPE);
  });

  it("uses the whole base62 alphabet (not just hex or lower case)", () => {
    const chars = new Set(Array.from({ length: 100 }, () => generateToken().secret).join(""));
    expect(chars.size).toBe(62);
  });

  it("round-trips through parseToken", () => {
    for (let i = 0; i < 20; i++) {
      const token = generateToken();
      expect(parseToken(token.plaintext)).toEqual({ id: token.id, secret: token.secret });
    }
  });

  const ID = "ABCDEFGHIJKL"; // 12
  const SECRET = "0123456789abcdefghijABCDEFGHIJ01"; // 32
  const WELL_FORMED = `tly_${ID}_${SECRET}`;

  it("accepts a hand-written well-formed token, so the rejections below are about their defect", () => {
    expect(parseToken(WELL_FORMED)).toEqual({ id: ID, secret: SECRET });
  });

  it.each([
    ["empty", ""],
    ["wrong prefix", `tlx_${ID}_${SECRET}`],
    ["upper-case prefix", `TLY_${ID}_${SECRET}`],
    ["no prefix", `${ID}_${SECRET}`],
    ["short id", `tly_${ID.slice(1)}_${SECRET}`],
    ["long id", `tly_${ID}M_${SECRET}`],
    ["short secret", `tly_${ID}_${SECRET.slice(1)}`],
    ["long secret", `tly_${ID}_${SECRET}2`],
    ["non-base62 character in the id", `tly_ABCDEFGHIJ-L_${SECRET}`],
    ["non-base62 character in the secret", `tly_${ID}_${SECRET.slice(0, 31)}+`],
    ["trailing newline", `${WELL_FORMED}\n`],
    ["leading space", ` ${WELL_FORMED}`],
    ["missing separator", `tly_${ID}${SECRET}`],
    ["extra part", `${WELL_FORMED}_x`],
  ])("rejects a malformed token (%s)", (_label, plaintext) => {
    expect(parseToken(plaintext)).toBeNull();
  });

  it("shows only the id in the display prefix, never the secret", () => {
    const token = generateToken();
    const shown = displayPrefix(token.id);
    expect(shown).toContain(token.id);
    expect(shown).not.toContain(token.secret);
    expect(shown.startsWith("tly_")).toBe(true);
  });
});

describe("secret hashing", () => {
  it("salts the hash: the same secret with different salts hashes differently", () => {
    const { secret } = generateToken();
    const saltA = newSalt();
    const saltB = newSalt();
    expect(saltA).not.toBe(saltB);
    expect(hashSecret(saltA, secret)).not.toBe(hashSecret(saltB, secret));
  });

  it("is deterministic for the same salt and secret, and does not contain the secret", () => {
    const { secret } = generateToken();
    const salt = newSalt();
    const hash = hashSecret(salt, secret);
    expect(hashSecret(salt, secret)).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret);
  });

  it("matches the right secret and refuses a wrong one", () => {
    const { secret } = generateToken();
    const salt = newSalt();
    const hash = hashSecret(salt, secret);
    expect(secretMatches(salt, secret, hash)).toBe(true);
    expect(secretMatches(salt, generateToken().secret, hash)).toBe(false);
    // One character off.
    const flipped = (secret[0] === "A" ? "B" : "A") + secret.slice(1);
    expect(secretMatches(salt, flipped, hash)).toBe(false);
  });

  it("refuses the right secret under another salt", () => {
    const { secret } = generateToken();
    const hash = hashSecret(newSalt(), secret);
    expect(secretMatches(newSalt(), secret, hash)).toBe(false);
  });

  it("refuses (without throwing) a stored hash of the wrong length", () => {
    const { secret } = generateToken();
    const salt = newSalt();
    expect(secretMatches(salt, secret, "")).toBe(false);
    expect(secretMatches(salt, secret, hashSecret(salt, secret).slice(0, 40))).toBe(false);
  });
});

describe("isExpired", () => {
  const now = new Date("2026-06-01T12:00:00.000Z");

  it("never expires without an expiry date", () => {
    expect(isExpired(null, now)).toBe(false);
  });

  it("is valid until just before the expiry instant", () => {
    expect(isExpired(new Date(now.getTime() + 1), now)).toBe(false);
    expect(isExpired(new Date(now.getTime() + 86_400_000), now)).toBe(false);
  });

  it("is expired at the expiry instant and after it", () => {
    expect(isExpired(new Date(now.getTime()), now)).toBe(true);
    expect(isExpired(new Date(now.getTime() - 1), now)).toBe(true);
  });

  it("defaults to the current time", () => {
    expect(isExpired(new Date(Date.now() - 1000))).toBe(true);
    expect(isExpired(new Date(Date.now() + 60_000))).toBe(false);
  });
});

describe("tokenFromAuthorization", () => {
  const token = generateToken().plaintext;

  it("reads a Bearer token, whatever the case of the scheme and the surrounding spaces", () => {
    expect(tokenFromAuthorization(`Bearer ${token}`)).toBe(token);
    expect(tokenFromAuthorization(`bearer ${token}`)).toBe(token);
    expect(tokenFromAuthorization(`  BEARER   ${token}  `)).toBe(token);
  });

  it("reads HTTP Basic with the token as the password and any username", () => {
    expect(tokenFromAuthorization(basic("token", token))).toBe(token);
    expect(tokenFromAuthorization(basic("someone@example.test", token))).toBe(token);
    expect(tokenFromAuthorization(basic("", token))).toBe(token);
    expect(tokenFromAuthorization(basic("x", token).replace("Basic", "basic"))).toBe(token);
  });

  it("keeps colons that belong to the password", () => {
    expect(tokenFromAuthorization(basic("user", "a:b"))).toBe("a:b");
  });

  it.each([
    ["no header", null],
    ["undefined", undefined],
    ["empty", ""],
    ["scheme only", "Bearer"],
    ["scheme and spaces", "Bearer    "],
    ["unknown scheme", `Token ${token}`],
    ["Digest", `Digest ${token}`],
    ["bare token", token],
    ["Basic without a colon", `Basic ${Buffer.from(token).toString("base64")}`],
  ])("returns null for garbage (%s)", (_label, header) => {
    expect(tokenFromAuthorization(header)).toBeNull();
  });
});
