import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { TopBar } from "@/components/layout/top-bar";
import { signedInUser } from "@/server/trpc/rsc";

export const dynamic = "force-dynamic";

/** Everything under /projects is for signed-in people: a top bar with who they are and Sign out. */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await signedInUser();
  if (!user) redirect("/signin?callbackUrl=%2Fprojects");
  return (
    <div className="min-h-screen">
      <TopBar email={user.email} isAdmin={user.isAdmin} />
      {children}
    </div>
  );
}
