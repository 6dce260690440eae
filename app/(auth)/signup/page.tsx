import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AccountForm } from "@/components/auth/account-form";
import { AuthCard } from "@/components/auth/auth-card";
import { InviteSummary } from "@/components/auth/invite-summary";
import { Notice } from "@/components/ui/error-message";
import { serverCaller, signedInUser } from "@/server/trpc/rsc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const inviteToken = typeof params.invite === "string" && params.invite ? params.invite : undefined;
  const caller = await serverCaller();
  const status = await caller.account.status();
  if (status.setupNeeded) redirect("/setup");
  if (await signedInUser()) redirect(inviteToken ? `/invite/${encodeURIComponent(inviteToken)}` : "/projects");

  const invite = inviteToken ? await caller.invites.preview({ token: inviteToken }).catch(() => null) : null;
  const signInLink = (
    <p className="mt-6 text-center text-sm text-gray-500">
      Already have an account?{" "}
      <Link
        href={inviteToken ? `/signin?callbackUrl=${encodeURIComponent(`/invite/${inviteToken}`)}` : "/signin"}
        className="font-medium text-indigo-600 hover:text-indigo-500"
      >
        Sign in
      </Link>
    </p>
  );

  if (inviteToken && !invite) {
    return (
      <AuthCard title="Invite link not valid">
        <Notice tone="warning">
          This invite link is invalid, has expired or was already used. Ask a project owner for a new one.
        </Notice>
        {signInLink}
      </AuthCard>
    );
  }
  if (!invite && status.signup !== "open") {
    return (
      <AuthCard title="Sign-up is by invitation">
        <p className="text-sm text-gray-600">
          {status.signup === "closed"
            ? "Accounts on this Tally are created by an administrator. Ask them for an account."
            : "To create an account, open the invite link a project owner sent you. It lets you sign up and join their project."}
        </p>
        {signInLink}
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Create your account"
      description={invite ? <InviteSummary projectName={invite.projectName} role={invite.role} /> : null}
    >
      <AccountForm
        submitLabel={invite ? `Sign up and join ${invite.projectName}` : "Sign up"}
        inviteToken={inviteToken}
        destination={invite ? `/projects/${invite.projectSlug}` : "/projects"}
      />
      {signInLink}
    </AuthCard>
  );
}
