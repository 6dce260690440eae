import { z } from "zod";

/** The body of `POST /api/v1/projects/<slug>/datasets/import/dvc` (docs/dvc.md). */

/**
 * Longest dvc.lock or dvc.yaml accepted, in characters: a lock of a thousand stages with ten files
 * each fits. Parsing YAML takes the server's CPU (about a second per MiB), so the bound stays modest.
 */
export const MAX_DVC_FILE_LENGTH = 1024 * 1024;
/** DVC paths become dataset names, which a run must be able to log as an MLflow input name. */
export const MAX_DVC_PATH_LENGTH = 500;
export const MAX_DVC_STAGES = 1_000;
/** Deps and outs across all stages: each is a dataset version and an edge. */
export const MAX_DVC_FILES = 10_000;
export const MAX_REPO_URL_LENGTH = 1_000;

const fileText = (name: string) =>
  z
    .string({ error: `${name} must be the file's text` })
    .min(1, `${name} is empty`)
    .max(MAX_DVC_FILE_LENGTH, `${name} is longer than ${MAX_DVC_FILE_LENGTH} characters`);

/**
 * Whether a repository URL carries a secret: a password, or any user part on http(s), where it is a
 * token (https://<token>@github.com/...). `ssh://git@host/...` and `git@host:org/repo` name no secret.
 */
export function repoUrlHasCredentials(url: string): boolean {
  const userInfo = /^([a-z][a-z0-9+.-]*):\/\/([^/?#@]*)@/i.exec(url);
  if (!userInfo) return false;
  return /^https?$/i.test(userInfo[1]!) || userInfo[2]!.includes(":");
}

const repoUrl = z
  .string()
  .trim()
  .min(1, "url is empty")
  .max(MAX_REPO_URL_LENGTH)
  // The URL ends up in job namespaces and dataset sources that every project member can read.
  .refine((url) => !repoUrlHasCredentials(url), "url must not contain credentials (https://user:token@... or a token as the user)");

export const dvcImportBody = z
  .object({
    lock: fileText("lock"),
    dvcYaml: fileText("dvcYaml").optional(),
    repo: z
      .object({
        url: repoUrl.optional(),
        commit: z
          .string()
          .regex(/^[0-9a-f]{7,64}$/i, "commit must be a git commit id (7 to 64 hex digits)")
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type DvcImportBody = z.infer<typeof dvcImportBody>;
