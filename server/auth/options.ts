import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { oidcEnabled } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { sameOriginRedirect } from "@/lib/safe-callback";
import { credentialsInput, emailSchema } from "@/lib/schemas/accounts";
import { config } from "../config";
import { requestClientAddress } from "../http/client-address";
import { signInWithSso, verifyCredentials, type SsoRefusal } from "../services/users";
import { accountPolicy } from "./account-policy";
import { authSecret } from "./secret";

const SESSION_MAX_AGE_S = 30 * 24 * 3600;

/** The sign-in page's error codes for each refusal (components/auth/sign-in-errors.ts). */
const SSO_ERRORS: Record<SsoRefusal, string> = {
  "email-unverified": "SsoEmailUnverified",
  "account-unverified": "SsoAccountUnverified",
  "signup-closed": "SsoSignupClosed",
};

/**
 * next-auth with JWT sessions in an httpOnly, SameSite=Lax cookie. The JWT carries only the user id;
 * who the user is (admin or not) and their memberships are read from the database on each request.
 */
export function authOptions(): NextAuthOptions {
  const env = config();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials, request) {
        const parsed = credentialsInput.safeParse(credentials);
        if (!parsed.success) return null;
        const address = request?.headers ? requestClientAddress(request.headers) : undefined;
        try {
          const user = await verifyCredentials(parsed.data.email, parsed.data.password, address);
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        } catch (error) {
          // next-auth passes the message to the sign-in page as ?error=...
          if (error instanceof AppError) throw new Error(error.message);
          throw error;
        }
      },
    }),
  ];
  if (oidcEnabled(env)) {
    providers.push({
      id: "oidc",
      name: env.OIDC_DISPLAY_NAME,
      type: "oauth",
      wellKnown: `${env.OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile: (profile: { sub: string; email?: string; name?: string }) => ({
        id: profile.sub,
        email: profile.email ?? null,
        name: profile.name ?? null,
      }),
    });
  }

  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        const email = emailSchema.safeParse(user.email);
        if (!email.success) return "/signin?error=SsoEmailMissing";
        const result = await signInWithSso(accountPolicy(), {
          email: email.data,
          // Only a literal `true` counts: a missing claim is not the provider vouching for the email.
          emailVerified: (profile as { email_verified?: unknown } | undefined)?.email_verified,
          name: user.name,
        });
        if (!result.ok) return `/signin?error=${SSO_ERRORS[result.reason]}`;
        // Replace the provider's subject with our own user id for the JWT callback.
        user.id = result.user.id;
        return true;
      },
      // Where next-auth sends the browser after an SSO sign-in or a sign-out: only paths on this origin.
      redirect: sameOriginRedirect,
      async jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
      async session({ session, token }) {
        return { ...session, userId: typeof token.uid === "string" ? token.uid : undefined };
      },
    },
  };
}
