import { z } from "zod";
import { ROLES, TOKEN_SCOPES } from "../rbac";
import { emailSchema } from "./accounts";

export const slugSchema = z
  .string()
  .trim()
  .min(2, "Slug must be at least 2 characters")
  .max(40, "Slug must be at most 40 characters")
  .regex(
    /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    "Slug may contain lowercase letters, digits and dashes, and must start and end with a letter or digit",
  );

export const projectNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters");

export const createProjectInput = z.object({ slug: slugSchema, name: projectNameSchema });
export const projectRef = z.object({ projectSlug: slugSchema });
export const renameProjectInput = projectRef.extend({ name: projectNameSchema });

export const roleSchema = z.enum(ROLES);

export const addMemberInput = projectRef.extend({ email: emailSchema, role: roleSchema });
export const changeRoleInput = projectRef.extend({ userId: z.string().min(1).max(64), role: roleSchema });
export const removeMemberInput = projectRef.extend({ userId: z.string().min(1).max(64) });

export const INVITE_MAX_DAYS = 30;
export const createInviteInput = projectRef.extend({
  role: roleSchema,
  expiresInDays: z.number().int().min(1).max(INVITE_MAX_DAYS).default(7),
  /** Binds the invite to one email: only that account can use it. */
  email: emailSchema.optional(),
});
export const inviteRef = projectRef.extend({ inviteId: z.string().min(1).max(64) });
export const inviteTokenInput = z.object({ token: z.string().min(1).max(200) });

export const TOKEN_MAX_DAYS = 3650;
export const tokenScopesSchema = z
  .array(z.enum(TOKEN_SCOPES))
  .min(1, "Choose at least one scope")
  .transform((scopes) => [...new Set(scopes)]);
export const createTokenInput = projectRef.extend({
  name: z.string().trim().min(1, "Name is required").max(100, "Name must be at most 100 characters"),
  scopes: tokenScopesSchema,
  expiresInDays: z.number().int().min(1).max(TOKEN_MAX_DAYS).optional(),
});
export type CreateTokenInput = z.infer<typeof createTokenInput>;
export const tokenRef = projectRef.extend({ tokenId: z.string().min(1).max(64) });

export const auditPageInput = projectRef.extend({
  /** id of the last event of the previous page (events are listed newest first). */
  cursor: z.string().regex(/^\d+$/).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
