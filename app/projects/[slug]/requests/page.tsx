import type { Metadata } from "next";
import { RequestsInbox } from "@/components/promotions/requests-inbox";
import { loadDecidableCount, loadProject } from "../_lib/project";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Promotion requests" };

export default async function RequestsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await loadProject(slug);
  const decidable = await loadDecidableCount(slug);
  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-xl font-semibold text-gray-900">Promotion requests</h2>
        <p className="mt-1 text-sm text-gray-500">
          Moves to the stages and aliases the approval policy gates wait here for the people it names. Request one from a model version&apos;s page.
        </p>
      </div>
      <RequestsInbox slug={slug} initialView={decidable > 0 ? "decidable" : "all"} />
    </div>
  );
}
