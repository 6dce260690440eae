import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AccountForm } from "@/components/auth/account-form";
import { AuthCard } from "@/components/auth/auth-card";
import { serverCaller } from "@/server/trpc/rsc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up Tally" };

/** First run only: create the instance administrator. */
export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const status = await (await serverCaller()).account.status();
  if (!status.setupNeeded) redirect("/signin");
  const { token } = await searchParams;
  return (
    <AuthCard
      title="Welcome to Tally"
      description="Create the administrator account for this instance. The administrator can create projects and see every project."
    >
      <AccountForm
        submitLabel="Create administrator account"
        destination="/projects"
        setupToken={status.setupTokenRequired ? { initial: typeof token === "string" ? token : "" } : undefined}
      />
    </AuthCard>
  );
}

