import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AcceptInvite } from "@/components/auth/accept-invite";
import { AuthCard } from "@/components/auth/auth-card";
import { InviteSummary } from "@/components/auth/invite-summary";
import { buttonClasses } from "@/components/ui/button";
import { Notice } from "@/components/ui/error-message";
import { formatDate } from "@/components/ui/format";
import { serverCaller, signedInUser } from "@/server/trpc/rsc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const caller = await serverCaller();
  if ((await caller.account.status()).setupNeeded) redirect("/setup");
  const invite = await caller.invites.preview({ token }).catch(() => null);
  if (!invite) {
    return (
      <AuthCard title="Invite link not valid">
        <Notice tone="warning">
          This invite link is invalid, has expired or was already used. Ask a project owner for a new one.
        </Notice>
        <p className="mt-6 text-center text-sm">
          <Link href="/" className="font-medium text-indigo-600 hover:text-indigo-500">
            Go to Tally
          </Link>
        </p>
      </AuthCard>
    );
  }

  const user = await signedInUser();
  const here = `/invite/${encodeURIComponent(token)}`;
  return (
    <AuthCard title={`Join ${invite.projectName}`} description={<InviteSummary projectName={invite.projectName} role={invite.role} />}>
      <p className="mb-4 text-xs text-gray-500">
        {invite.email ? (
          <>
            This invite is for <span className="font-medium text-gray-900">{invite.email}</span> only.{" "}
          </>
        ) : null}
        This link expires on {formatDate(invite.expiresAt)} and works once.
      </p>
      {user ? (
        <div className="space-y-3">
          <p className="text-sm text-gray-600">
            Signed in as <span className="font-medium text-gray-900">{user.email}</span>.
          </p>
          <AcceptInvite token={token} projectName={invite.projectName} />
        </div>
      ) : (
        <div className="space-y-3">
          <Link href={`/signup?invite=${encodeURIComponent(token)}`} className={buttonClasses("primary") + " w-full"}>
            Sign up with this invite
          </Link>
          <Link href={`/signin?callbackUrl=${encodeURIComponent(here)}`} className={buttonClasses("secondary") + " w-full"}>
            I already have an account: sign in
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
