import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "@/server/runtime/instance-secret";

/**
 * Webhook secrets must be usable (every delivery is signed with one) yet never shown again, so they
 * are stored encrypted: AES-256-GCM under a key derived (HKDF-SHA256) from the instance secret
 * (TALLY_AUTH_SECRET). A database dump alone does not reveal them. Format: `v1:<base64 iv|tag|ciphertext>`.
 */
const VERSION = "v1";

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret(), "tally", "webhook-secrets", 32));
}

export function sealSecret(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64")}`;
}

/** Throws when the instance secret changed since the webhook was saved: its secret must be entered again. */
export function openSecret(sealed: string): string {
  const [version, data] = sealed.split(":", 2);
  if (version !== VERSION || !data) throw new Error("unknown webhook secret format");
  const bytes = Buffer.from(data, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key(), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("the webhook's secret cannot be decrypted (was TALLY_AUTH_SECRET changed?): set a new secret");
  }
}
