import type { DatasetDocument } from "@/server/services/datasets";

/** A logged schema or profile: pretty JSON, or the raw text as it was logged. */
export function DatasetDocumentView({ document, label }: { document: DatasetDocument; label: string }) {
  if (document === null) return <p className="text-sm text-gray-500">No {label} logged.</p>;
  const text = document.kind === "json" ? JSON.stringify(document.value, null, 2) : document.text;
  return (
    <pre aria-label={label} className="max-h-64 overflow-auto rounded-md bg-gray-50 p-3 font-mono text-xs text-gray-800">
      {text}
    </pre>
  );
}
