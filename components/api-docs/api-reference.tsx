"use client";

import { useEffect, useState } from "react";
import { schemaText } from "@/lib/openapi/schema-text";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ErrorMessage } from "@/components/ui/error-message";

type Schema = { [key: string]: unknown };
type Parameter = { name: string; in: string; required: boolean; description?: string; schema: Schema };
type Content = Record<string, { schema: Schema }>;
type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Content };
  responses: Record<string, { description: string; content?: Content }>;
};
type Document = {
  info: { title: string; version: string; description: string };
  servers: { url: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

const METHOD_TONES = { get: "indigo", post: "green", put: "amber", patch: "amber", delete: "red" } as const;

/**
 * The API reference of one OpenAPI document, rendered from the document Tally serves (so the page
 * shows exactly what clients and the fuzzer read): operations by tag, then the named schemas.
 */
export function ApiReference({ url }: { url: string }) {
  const [document, setDocument] = useState<Document | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch(url)
      .then((response) => (response.ok ? (response.json() as Promise<Document>) : Promise.reject(new Error(`${url} answered ${response.status}`))))
      .then(setDocument, (failure: Error) => setError(failure.message));
  }, [url]);
  if (error) return <ErrorMessage>{error}</ErrorMessage>;
  if (!document) return <p className="text-sm text-gray-500">Loading {url}…</p>;

  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );
  const tags = [...new Set(operations.map(({ operation }) => operation.tags[0] ?? "Other"))];
  return (
    <div className="space-y-6" data-testid={`api-reference-${document.info.title}`}>
      <div className="space-y-1 text-sm text-gray-600">
        <p>
          <WithCode text={document.info.description} />
        </p>
        <p>
          Server: {document.servers.map((server) => <code key={server.url} className="mr-2 rounded bg-gray-100 px-1">{server.url}</code>)} ·{" "}
          <a className="text-indigo-600 hover:underline" href={url}>
            {url}
          </a>
        </p>
      </div>
      {tags.map((tag) => (
        <section key={tag} className="space-y-3">
          <h3 className="text-lg font-semibold text-gray-900">{tag}</h3>
          {operations
            .filter(({ operation }) => (operation.tags[0] ?? "Other") === tag)
            .map(({ path, method, operation }) => (
              <OperationCard key={operation.operationId} path={document.servers[0]?.url + path} method={method} operation={operation} />
            ))}
        </section>
      ))}
      {Object.keys(document.components.schemas).length > 0 ? (
        <section className="space-y-3">
          <h3 className="text-lg font-semibold text-gray-900">Schemas</h3>
          {Object.entries(document.components.schemas).map(([name, schema]) => (
            <Card key={name}>
              <CardHeader title={name} />
              <CardBody>
                <SchemaBlock schema={schema} />
              </CardBody>
            </Card>
          ))}
        </section>
      ) : null}
    </div>
  );
}

function OperationCard({ path, method, operation }: { path: string; method: string; operation: Operation }) {
  return (
    <div id={operation.operationId}>
      <Card>
        <div className="border-b border-gray-200 px-5 py-3">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={METHOD_TONES[method as keyof typeof METHOD_TONES] ?? "gray"}>{method.toUpperCase()}</Badge>
            <code className="text-sm font-medium text-gray-900">{path}</code>
            {operation.security.length === 0 ? <Badge>no token</Badge> : null}
          </div>
          <p className="mt-1 text-sm text-gray-700">{operation.summary}</p>
          {operation.description ? (
            <p className="mt-1 text-sm text-gray-500">
              <WithCode text={operation.description} />
            </p>
          ) : null}
        </div>
        <CardBody className="space-y-4 text-sm">
          {operation.parameters?.length ? (
            <div>
              <h4 className="font-medium text-gray-900">Parameters</h4>
              <table className="mt-1 w-full text-left">
                <tbody>
                  {operation.parameters.map((parameter) => (
                    <tr key={`${parameter.in}:${parameter.name}`} className="border-t border-gray-100 align-top">
                      <td className="py-1 pr-3 font-mono">
                        {parameter.name}
                        {parameter.required ? "" : "?"}
                      </td>
                      <td className="py-1 pr-3 text-gray-500">{parameter.in}</td>
                      <td className="py-1 pr-3">
                        <SchemaBlock schema={parameter.schema} />
                      </td>
                      <td className="py-1 text-gray-500">{parameter.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {operation.requestBody ? (
            <div>
              <h4 className="font-medium text-gray-900">Body{operation.requestBody.required ? "" : " (optional)"}</h4>
              <ContentList content={operation.requestBody.content} />
            </div>
          ) : null}
          <div>
            <h4 className="font-medium text-gray-900">Answers</h4>
            <ul className="mt-1 space-y-2">
              {Object.entries(operation.responses).map(([status, response]) => (
                <li key={status}>
                  <span className={`font-mono ${status.startsWith("2") ? "text-green-700" : "text-gray-700"}`}>{status}</span>{" "}
                  <span className="text-gray-600">{response.description}</span>
                  {status.startsWith("2") && response.content ? <ContentList content={response.content} /> : null}
                </li>
              ))}
            </ul>
          </div>
        </CardBody>
      </Card>
    </div>
  );
}

function ContentList({ content }: { content: Content }) {
  return (
    <div className="mt-1 space-y-1">
      {Object.entries(content).map(([mediaType, { schema }]) => (
        <div key={mediaType}>
          <span className="text-xs text-gray-500">{mediaType}</span>
          <SchemaBlock schema={schema} />
        </div>
      ))}
    </div>
  );
}

/** Text with `code spans`, as the documents' descriptions are written. */
function WithCode({ text }: { text: string }) {
  return text.split("`").map((part, index) => (index % 2 === 1 ? <code key={index} className="rounded bg-gray-100 px-1 text-gray-800">{part}</code> : part));
}

function SchemaBlock({ schema }: { schema: Schema }) {
  return <pre className="overflow-x-auto whitespace-pre-wrap break-words font-mono text-xs text-gray-800">{schemaText(schema)}</pre>;
}
