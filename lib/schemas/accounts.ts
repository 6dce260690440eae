import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 10;
/** Bounded so a hash request can't be turned into a CPU/memory amplifier. */
export const PASSWORD_MAX_LENGTH = 256;

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email("Enter a valid email address"))
  .transform((email) => email.toLowerCase());

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`);

export const displayNameSchema = z.string().trim().max(100, "Name must be at most 100 characters");

export const signUpInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: displayNameSchema.optional(),
  /** Secret from an invite link; required when sign-up is invite-only. */
  inviteToken: z.string().min(1).max(200).optional(),
  /** Asked for by /setup when the first account is created (TALLY_SETUP_TOKEN or the generated one). */
  setupToken: z.string().max(200).optional(),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const credentialsInput = z.object({
  email: emailSchema,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
