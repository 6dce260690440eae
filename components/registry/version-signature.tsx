"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc-client";
import type { SignatureField } from "@/server/services/registry";
import { parseCsv } from "../tracking/artifact-preview";

/** The version's MLmodel: flavors, signature inputs and outputs, and its input example. */
export function VersionSignature({ slug, name, version }: { slug: string; name: string; version: number }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.registry.versions.signature.queryOptions({ projectSlug: slug, name, version }));
  if (query.isError) return <p className="text-sm text-red-600">{query.error.message}</p>;
  if (query.isPending) return <div className="h-24 animate-pulse rounded bg-gray-50" />;
  const { mlmodel, problem, inputExample } = query.data;
  if (problem) return <p className="text-sm text-red-600">The MLmodel file could not be read: {problem}</p>;
  if (!mlmodel) return <p className="text-sm text-gray-500">This version&apos;s files hold no MLmodel file.</p>;
  return (
    <div className="space-y-5" data-testid="version-signature">
      <section>
        <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">Flavors</h3>
        <ul className="mt-2 space-y-2" aria-label="Flavors">
          {mlmodel.flavors.map((flavor) => (
            <li key={flavor.name} className="rounded-md bg-gray-50 px-3 py-2 ring-1 ring-inset ring-gray-200">
              <span className="font-mono text-sm font-semibold text-gray-900">{flavor.name}</span>
              <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-gray-600">
                {flavor.properties.map((property) => (
                  <div key={property.key}>
                    <dt className="inline text-gray-500">{property.key}: </dt>
                    <dd className="inline font-mono text-gray-800">{property.value}</dd>
                  </div>
                ))}
              </dl>
            </li>
          ))}
        </ul>
        {mlmodel.mlflowVersion ? <p className="mt-2 text-xs text-gray-500">Logged with MLflow {mlmodel.mlflowVersion}{mlmodel.createdAt ? ` on ${mlmodel.createdAt} UTC` : ""}.</p> : null}
      </section>
      {mlmodel.signature ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <Fields title="Inputs" fields={mlmodel.signature.inputs} />
          <Fields title="Outputs" fields={mlmodel.signature.outputs} />
          {mlmodel.signature.params.length ? (
            <section className="lg:col-span-2">
              <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">Parameters</h3>
              <ul className="mt-2 flex flex-wrap gap-2 font-mono text-xs">
                {mlmodel.signature.params.map((param) => (
                  <li key={param.name} className="rounded bg-gray-50 px-2 py-1 ring-1 ring-inset ring-gray-200">
                    {param.name}: {param.type} = {JSON.stringify(param.default)}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-gray-500">The MLmodel has no signature.</p>
      )}
      {mlmodel.inputExample ? (
        <section>
          <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">
            Input example <span className="font-mono normal-case">{mlmodel.inputExample.path}</span>
          </h3>
          {inputExample ? (
            <ExamplePreview text={inputExample.text} truncated={inputExample.truncated} />
          ) : (
            <p className="mt-2 text-sm text-gray-500">The input example file is not stored with the version.</p>
          )}
        </section>
      ) : null}
    </div>
  );
}

function Fields({ title, fields }: { title: string; fields: SignatureField[] }) {
  return (
    <section>
      <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">{title}</h3>
      <table className="mt-2 min-w-full text-sm" aria-label={`Signature ${title.toLowerCase()}`}>
        <thead>
          <tr className="text-left text-xs text-gray-500">
            <th className="py-1 pr-3 font-medium">Name</th>
            <th className="py-1 pr-3 font-medium">Type</th>
            <th className="py-1 font-medium">Required</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {fields.map((field, index) => (
            <tr key={index}>
              <td className="py-1 pr-3 font-mono text-xs text-gray-900">{field.name ?? "—"}</td>
              <td className="py-1 pr-3 font-mono text-xs text-gray-700">
                {field.type}
                {field.shape ? ` (${field.shape.join(", ")})` : ""}
              </td>
              <td className="py-1 text-xs text-gray-600">{field.required ? "yes" : "no"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A pandas `split` example ({columns, data}) as a table; other JSON pretty-printed; anything else as text. */
function ExamplePreview({ text, truncated }: { text: string; truncated: boolean }) {
  let table: { columns: string[]; rows: unknown[][] } | null = null;
  let pretty = text;
  try {
    const parsed: unknown = JSON.parse(text);
    pretty = JSON.stringify(parsed, null, 2);
    const record = parsed as { columns?: unknown; data?: unknown };
    if (Array.isArray(record.columns) && Array.isArray(record.data) && record.data.every(Array.isArray)) {
      table = { columns: record.columns.map(String), rows: record.data as unknown[][] };
    }
  } catch {
    const rows = parseCsv(text);
    if (!truncated && rows.length > 1 && rows[0]!.length > 1) table = { columns: rows[0]!, rows: rows.slice(1) };
  }
  return (
    <div className="mt-2 space-y-1">
      {truncated ? <p className="text-xs text-gray-500">Showing the start of the file.</p> : null}
      {table ? (
        <div className="max-h-80 overflow-auto rounded border border-gray-200">
          <table className="min-w-full text-xs" aria-label="Input example">
            <thead className="sticky top-0 bg-gray-50">
              <tr>
                {table.columns.map((column, index) => (
                  <th key={index} className="px-2 py-1 text-left font-semibold text-gray-700">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {table.rows.slice(0, 50).map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((cell, index) => (
                    <td key={index} className="px-2 py-1 font-mono text-gray-800">
                      {typeof cell === "string" ? cell : JSON.stringify(cell)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <pre className="max-h-80 overflow-auto rounded bg-gray-50 p-3 font-mono text-xs text-gray-800" aria-label="Input example">
          {pretty}
        </pre>
      )}
    </div>
  );
}
