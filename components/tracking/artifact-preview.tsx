"use client";

import { useQuery } from "@tanstack/react-query";
import { Markdown } from "./markdown";
import { artifactHref, type ArtifactSource } from "./run-links";

/** Previews read at most this much of a file; the rest is a download away. */
export const PREVIEW_BYTES = 256 * 1024;
const IMAGE = /\.(png|jpe?g|gif|webp)$/i;
const TEXT = /\.(txt|log|py|ts|js|sh|yaml|yml|toml|cfg|ini|sql|r|java|go|rs|c|cpp|h|json|csv|tsv|md|mlmodel)$|(^|\/)(MLmodel|requirements\.txt|Dockerfile)$/i;

type Kind = "image" | "json" | "csv" | "markdown" | "text" | "binary";

function kindOf(path: string): Kind {
  if (IMAGE.test(path)) return "image";
  if (/\.json$/i.test(path)) return "json";
  if (/\.(csv|tsv)$/i.test(path)) return "csv";
  if (/\.md$/i.test(path)) return "markdown";
  return TEXT.test(path) ? "text" : "binary";
}

export function ArtifactPreview({ slug, source, path, size }: { slug: string; source: ArtifactSource; path: string; size?: number }) {
  const kind = kindOf(path);
  const href = artifactHref(slug, source, path);
  return (
    <div className="space-y-3">
      <div className="flex items-center justify-between gap-2">
        <span className="truncate font-mono text-sm text-gray-900">{path}</span>
        <a className="text-sm font-medium text-indigo-600 hover:underline" href={artifactHref(slug, source, path, true)}>
          Download
        </a>
      </div>
      {kind === "image" ? (
        // eslint-disable-next-line @next/next/no-img-element -- artifacts are user files streamed from storage, not optimizable assets
        <img src={href} alt={path} className="max-h-[32rem] max-w-full rounded border border-gray-200" data-testid="artifact-image" />
      ) : kind === "binary" ? (
        <p className="text-sm text-gray-500">No preview for this file type{size !== undefined ? ` (${size.toLocaleString("en")} bytes)` : ""}.</p>
      ) : (
        <TextPreview href={href} kind={kind} truncated={(size ?? 0) > PREVIEW_BYTES} />
      )}
    </div>
  );
}

function TextPreview({ href, kind, truncated }: { href: string; kind: Kind; truncated: boolean }) {
  const file = useQuery({
    queryKey: ["artifact-text", href],
    queryFn: async () => {
      const response = await fetch(href, { headers: { range: `bytes=0-${PREVIEW_BYTES - 1}` } });
      if (!response.ok) throw new Error(`Could not load the file (HTTP ${response.status})`);
      return response.text();
    },
  });
  if (file.isError) return <p className="text-sm text-red-600">{file.error.message}</p>;
  if (file.isPending) return <div className="h-24 animate-pulse rounded bg-gray-50" />;
  const text = file.data;
  const note = truncated ? <p className="text-xs text-gray-500">Showing the first {PREVIEW_BYTES / 1024} KiB.</p> : null;
  if (kind === "markdown") return <>{note}<Markdown source={text} /></>;
  if (kind === "csv") return <>{note}<CsvTable text={text} separator={href.includes(".tsv") ? "\t" : ","} /></>;
  return (
    <>
      {note}
      <pre className="max-h-[32rem] overflow-auto rounded bg-gray-50 p-3 font-mono text-xs text-gray-800">{kind === "json" ? prettyJson(text) : text}</pre>
    </>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A simple CSV reader for previews: quoted fields with doubled quotes, first row as header, 200 rows. */
export function parseCsv(text: string, separator = ","): string[][] {
  const rows: string[][] = [];
  let field = "";
  let row: string[] = [];
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[index + 1] === "\n") index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || row.length) rows.push([...row, field]);
  return rows;
}

function CsvTable({ text, separator }: { text: string; separator: string }) {
  const [header = [], ...body] = parseCsv(text, separator);
  return (
    <div className="max-h-[32rem] overflow-auto rounded border border-gray-200">
      <table className="min-w-full text-xs" aria-label="CSV preview">
        <thead className="sticky top-0 bg-gray-50">
          <tr>
            {header.map((cell, index) => (
              <th key={index} className="px-2 py-1 text-left font-semibold text-gray-700">
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {body.slice(0, 200).map((row, rowIndex) => (
            <tr key={rowIndex}>
              {row.map((cell, index) => (
                <td key={index} className="px-2 py-1 font-mono text-gray-800">
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
