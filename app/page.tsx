import { redirect } from "next/navigation";
import { serverCaller, signedInUser } from "@/server/trpc/rsc";

export const dynamic = "force-dynamic";

/** The front door: first-run setup, sign-in, or the project list. */
export default async function Home() {
  const status = await (await serverCaller()).account.status();
  if (status.setupNeeded) redirect("/setup");
  redirect((await signedInUser()) ? "/projects" : "/signin");
}
