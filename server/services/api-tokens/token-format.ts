import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Project API tokens look like `tly_<id>_<secret>`: the id finds the row, the secret proves
 * possession. Only a salted SHA-256 of the secret is stored; a fast hash is enough because the secret
 * is 190 random bits, not something a person chose.
 */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_LENGTH = 12;
const SECRET_LENGTH = 32;
const TOKEN_PATTERN = new RegExp(`^tly_([0-9A-Za-z]{${ID_LENGTH}})_([0-9A-Za-z]{${SECRET_LENGTH}})$`);

function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: rejecting larger bytes keeps every character equally likely.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export interface NewToken {
  id: string;
  secret: string;
  plaintext: string;
}

export function generateToken(): NewToken {
  const id = randomBase62(ID_LENGTH);
  const secret = randomBase62(SECRET_LENGTH);
  return { id, secret, plaintext: `tly_${id}_${secret}` };
}

export function parseToken(plaintext: string): { id: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(plaintext);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

export function newSalt(): string {
  return randomBytes(16).toString("hex");
}

export function hashSecret(salt: string, secret: string): string {
  return createHash("sha256").update(`${salt}:${secret}`).digest("hex");
}

export function secretMatches(salt: string, secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecret(salt, secret), "hex");
  const expected = Buffer.from(expectedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** What lists show: enough to recognise a token, nothing that helps to use it. */
export function displayPrefix(id: string): string {
  return `tly_${id}_…`;
}

export function isExpired(expiresAt: Date | null, now = new Date()): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}

/**
 * The token from an Authorization header: `Bearer <token>`, or HTTP Basic with the token as the
 * password (what the mlflow client sends when MLFLOW_TRACKING_USERNAME/PASSWORD are set).
 */
export function tokenFromAuthorization(header: string | null | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === "bearer") return value;
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}
