import { badInput } from "@/lib/errors";

/**
 * Key safety for the artifact store, in one place. Object keys are relative, "/"-separated paths such
 * as `<projectId>/<experimentId>/<runId>/artifacts/<path>`. Every store method checks its key here
 * before any I/O, so no key can name a file outside the filesystem root or a surprising S3 object.
 */

/** S3 caps a key at 1024 bytes and common filesystems cap one name at 255; both backends apply both. */
const MAX_KEY_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;

const byteLength = (text: string) => Buffer.byteLength(text, "utf8");
/** Quotes a path for an error message, shortened so a hostile path cannot flood the logs. */
const show = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);

/**
 * Validates a decoded relative path and returns its canonical form: empty and "." segments collapse
 * ("a//./b/" becomes "a/b"); "" (the folder itself) is allowed. Refuses anything that could leave
 * the folder the path is joined to, or that one backend would store differently from the other.
 */
export function cleanPath(path: string): string {
  if (/[\u0000-\u001f\u007f]/.test(path)) throw badInput(`Artifact path ${show(path)} contains control characters`);
  if (path.includes("\\")) throw badInput(`Artifact path ${show(path)} contains a backslash; use "/" between folders`);
  if (path.startsWith("/")) throw badInput(`Artifact path ${show(path)} must be relative, not absolute`);
  if (/^[A-Za-z]:/.test(path)) throw badInput(`Artifact path ${show(path)} looks like a Windows drive path`);
  const segments = path.split("/").filter((segment) => segment !== "" && segment !== ".");
  for (const segment of segments) {
    if (segment === "..") throw badInput(`Artifact path ${show(path)} must not contain ".." segments`);
    if (byteLength(segment) > MAX_SEGMENT_BYTES) {
      throw badInput(`Artifact path ${show(path)} has a name longer than ${MAX_SEGMENT_BYTES} bytes`);
    }
  }
  const clean = segments.join("/");
  if (byteLength(clean) > MAX_KEY_BYTES) throw badInput(`Artifact path is longer than ${MAX_KEY_BYTES} bytes`);
  return clean;
}

/**
 * Turns a path as it arrives in a URL (still percent-encoded) into a clean relative path. It is
 * decoded exactly once; a path that only turns dangerous when decoded again ("%252e%252e", a
 * double-encoded ".."), is refused too, because some proxy or client on the way may decode it twice.
 */
export function normalizeArtifactPath(raw: string): string {
  const decoded = decodeArtifactPath(raw);
  const fullyDecoded = decodeSeparatorsRepeatedly(decoded);
  if (fullyDecoded !== decoded) {
    try {
      cleanPath(fullyDecoded);
    } catch {
      throw badInput(`Artifact path ${show(raw)} hides "..", "/" or "\\" behind repeated percent-encoding`);
    }
  }
  return cleanPath(decoded);
}

/**
 * Decodes a percent-encoded path once, without cleaning it. A malformed escape ("%zz", a truncated
 * UTF-8 sequence such as "%E0%A4%A", a lone "%") is BAD_INPUT, never a URIError.
 */
export function decodeArtifactPath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badInput(`Artifact path ${show(raw)} is not valid percent-encoding`);
  }
}

/**
 * Decodes only the escapes that can build a traversal (".", "/", "\", NUL and "%" itself) until
 * nothing changes. Each pass shortens the string, so the loop ends.
 */
function decodeSeparatorsRepeatedly(path: string): string {
  const escapes: Record<string, string> = { "2e": ".", "2f": "/", "5c": "\\", "00": "\u0000", "25": "%" };
  let current = path;
  for (;;) {
    const next = current.replace(/%(2e|2f|5c|00|25)/gi, (_, hex: string) => escapes[hex.toLowerCase()] ?? "");
    if (next === current) return current;
    current = next;
  }
}

/**
 * Joins a trusted key prefix (e.g. a run's artifact root) and a user-controlled relative path. The
 * result always lies under the prefix: the relative part may not contain "..", be absolute, or use
 * backslashes. An empty relative path names the prefix itself.
 */
export function joinKey(prefix: string, relative: string): string {
  const base = folderKey(prefix);
  const rest = cleanPath(relative);
  if (base === "") return rest;
  if (rest === "") return base;
  const key = `${base}/${rest}`;
  if (byteLength(key) > MAX_KEY_BYTES) throw badInput(`Artifact path is longer than ${MAX_KEY_BYTES} bytes`);
  return key;
}

/** Asserts that `key` is a canonical folder key ("" for the root); returns it. */
export function folderKey(key: string): string {
  if (cleanPath(key) !== key) throw badInput(`${show(key)} is not a canonical storage key (build keys with joinKey)`);
  return key;
}

/** Asserts that `key` is a canonical, non-empty object key; returns it. */
export function objectKey(key: string): string {
  if (folderKey(key) === "") throw badInput("An object key must not be empty");
  return key;
}
