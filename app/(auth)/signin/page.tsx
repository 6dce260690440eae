import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { safeCallbackUrl } from "@/lib/safe-callback";
import { signInErrorMessage } from "@/components/auth/sign-in-errors";
import { SignInForm } from "@/components/auth/signin-form";
import { serverCaller, signedInUser } from "@/server/trpc/rsc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  const status = await (await serverCaller()).account.status();
  if (status.setupNeeded) redirect("/setup");
  if (await signedInUser()) redirect(callbackUrl);
  const error = typeof params.error === "string" ? signInErrorMessage(params.error) : null;
  return (
    <AuthCard title="Sign in to Tally">
      <SignInForm
        callbackUrl={callbackUrl}
        initialError={error}
        sso={status.sso}
        signupHref={status.signup === "open" ? "/signup" : null}
      />
    </AuthCard>
  );
}
