import type { Metadata } from "next";
import { REQUESTS_PAGE_SIZE } from "@/components/promotions/links";
import { RequestsInbox } from "@/components/promotions/requests-inbox";
import { serverCaller } from "@/server/trpc/rsc";
import { loadDecidableCount, loadProject } from "../_lib/project";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Promotion requests" };

export default async function RequestsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await loadProject(slug);
  const view = (await loadDecidableCount(slug)) > 0 ? "decidable" : "all";
  const firstPage = await (await serverCaller()).promotions.list({ projectSlug: slug, view, limit: REQUESTS_PAGE_SIZE });
  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-xl font-semibold text-gray-900">Promotion requests</h2>
        <p className="mt-1 text-sm text-gray-500">
          Moves to the stages and aliases the approval policy gates wait here for the people it names. Request one from a model version&apos;s page.
        </p>
      </div>
      <RequestsInbox slug={slug} initialView={view} firstPage={firstPage} />
    </div>
  );
}
