"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { ErrorMessage } from "../ui/error-message";
import { SelectField } from "../ui/field";

/** Columns added, removed and retyped between two chosen versions (older first by default). */
export function SchemaDiff({ slug, name, digests }: { slug: string; name: string; digests: string[] }) {
  const trpc = useTRPC();
  const [digestA, setDigestA] = useState(digests[1] ?? digests[0]!);
  const [digestB, setDigestB] = useState(digests[0]!);
  const diff = useQuery(trpc.datasets.schemaDiff.queryOptions({ projectSlug: slug, name, digestA, digestB }, { retry: false }));
  const options = digests.map((digest) => (
    <option key={digest} value={digest}>
      {digest}
    </option>
  ));
  const changes = diff.data ? diff.data.added.length + diff.data.removed.length + diff.data.typeChanged.length : 0;
  return (
    <div className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="From version" value={digestA} onChange={(event) => setDigestA(event.target.value)}>
          {options}
        </SelectField>
        <SelectField label="To version" value={digestB} onChange={(event) => setDigestB(event.target.value)}>
          {options}
        </SelectField>
      </div>
      <ErrorMessage error={diff.error} />
      {diff.data ? (
        changes === 0 ? (
          <p className="text-sm text-gray-500">The two schemas have the same columns and types.</p>
        ) : (
          <ul aria-label="Schema changes" className="space-y-1 font-mono text-sm">
            {diff.data.added.map((column) => (
              <li key={`+${column.name}`} className="text-green-700">
                + {column.name}: {column.type}
              </li>
            ))}
            {diff.data.removed.map((column) => (
              <li key={`-${column.name}`} className="text-red-700">
                − {column.name}: {column.type}
              </li>
            ))}
            {diff.data.typeChanged.map((change) => (
              <li key={`~${change.name}`} className="text-amber-700">
                ~ {change.name}: {change.from} → {change.to}
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}
