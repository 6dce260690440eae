import type { Metadata } from "next";
import Link from "next/link";
import { ApiReference } from "@/components/api-docs/api-reference";
import { PageHeader } from "@/components/ui/page-header";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API reference" };

/** The two OpenAPI documents Tally serves (docs/api.md), one at a time. */
const DOCUMENTS = {
  tally: { label: "Tally REST API (/api/v1)", url: "/api/v1/openapi.json" },
  mlflow: { label: "MLflow REST API (/api/2.0/mlflow)", url: "/api/v1/openapi/mlflow.json" },
} as const;

export default async function ApiReferencePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { doc } = await searchParams;
  const chosen = doc === "mlflow" ? "mlflow" : "tally";
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <PageHeader
        title="API reference"
        description="Generated from the schemas that validate every request. Authenticate with a project API token (Settings → API tokens)."
      />
      <nav className="mb-6 flex gap-4 border-b border-gray-200 text-sm" aria-label="Documents">
        {Object.entries(DOCUMENTS).map(([key, document]) => (
          <Link
            key={key}
            href={`/docs/api?doc=${key}`}
            aria-current={key === chosen ? "page" : undefined}
            className={key === chosen ? "border-b-2 border-indigo-600 pb-2 font-medium text-indigo-700" : "pb-2 text-gray-600 hover:text-gray-900"}
          >
            {document.label}
          </Link>
        ))}
      </nav>
      <ApiReference key={chosen} url={DOCUMENTS[chosen].url} />
    </main>
  );
}
