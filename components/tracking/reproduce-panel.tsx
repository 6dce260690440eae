"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import type { RouterOutputs } from "@/lib/router-outputs";
import { useTRPC } from "@/lib/trpc-client";
import { datasetHref } from "../datasets/links";
import { Badge } from "../ui/badge";
import { CopyButton } from "../ui/copy-button";
import { ErrorMessage, Notice } from "../ui/error-message";

type Reproduction = RouterOutputs["runs"]["reproduce"];
type EnvironmentFile = Reproduction["python"]["skipped"][number]["file"];

const NOT_RECORDED = <span className="text-gray-400">not recorded</span>;

function fileLabel(file: EnvironmentFile): string {
  return file.loggedModel ? `${file.path} of logged model ${file.loggedModel.name}` : `run artifact ${file.path}`;
}

function workingTree(git: Reproduction["git"]): ReactNode {
  if (git.dirty === false) return <Badge tone="green">clean</Badge>;
  if (git.dirty === null && git.diff === null) return NOT_RECORDED;
  if (git.diff === null) return <Badge tone="amber">uncommitted changes, not captured</Badge>;
  return <Badge tone="amber">{git.diffTruncated ? "uncommitted changes (diff cut at the size cap)" : "uncommitted changes (diff captured)"}</Badge>;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</dt>
      <dd className="mt-0.5 break-all text-sm text-gray-900">{children}</dd>
    </div>
  );
}

const code = (value: string | null) => (value === null ? NOT_RECORDED : <code className="font-mono text-xs">{value}</code>);

function Facts({ slug, reproduction }: { slug: string; reproduction: Reproduction }) {
  const { git, python } = reproduction;
  const versionFile = python.from.find((file) => file.gave.includes("version"));
  const packagesFile = python.from.find((file) => file.gave.includes("packages"));
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2" aria-label="Recorded facts">
        <Fact label="Repository">{code(git.repoUrl)}</Fact>
        <Fact label="Commit">{code(git.commit)}</Fact>
        <Fact label="Branch">{code(git.branch)}</Fact>
        <Fact label="Working tree">{workingTree(git)}</Fact>
        <Fact label={reproduction.entryPointKind === "mlflowProject" ? "MLflow Project entry point" : "Entry point"}>{code(reproduction.entryPoint)}</Fact>
        <Fact label="Command">{code(reproduction.command)}</Fact>
        {reproduction.workdir !== null ? <Fact label="Working directory">{code(reproduction.workdir)}</Fact> : null}
        <Fact label="Python">
          {python.version === null ? NOT_RECORDED : python.version}
          {versionFile ? <span className="block text-xs text-gray-500">from {fileLabel(versionFile)}</span> : null}
        </Fact>
        <Fact label="Random seeds">
          {reproduction.seeds.length === 0 ? NOT_RECORDED : reproduction.seeds.map((seed) => `${seed.key}=${seed.value}`).join(", ")}
        </Fact>
        <Fact label="Params">{reproduction.params.length === 0 ? NOT_RECORDED : `${reproduction.params.length} logged`}</Fact>
      </dl>

      <div>
        <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">Datasets</h3>
        {reproduction.datasets.length === 0 ? (
          <p className="mt-0.5 text-sm text-gray-400">none logged</p>
        ) : (
          <ul className="mt-1 space-y-1 text-sm" aria-label="Datasets the run read">
            {reproduction.datasets.map((dataset) => (
              <li key={`${dataset.name}-${dataset.digest}`} className="break-all">
                <Link className="text-indigo-600 hover:underline" href={datasetHref(slug, dataset.name)}>
                  {dataset.name}
                </Link>{" "}
                <code className="text-xs text-gray-500">{dataset.digest}</code> {dataset.context ? <Badge>{dataset.context}</Badge> : null}
                <span className="block text-xs text-gray-500">
                  {dataset.sourceType}: {dataset.sourceUri}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>

      <div>
        <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">Python packages</h3>
        {python.packages.length === 0 ? (
          <p className="mt-0.5 text-sm text-gray-400">not recorded</p>
        ) : (
          <details className="mt-1 text-sm">
            <summary className="cursor-pointer text-gray-700">
              {python.packages.length} packages{packagesFile ? `, from ${fileLabel(packagesFile)}` : ""}
            </summary>
            <pre aria-label="Python packages" className="mt-2 max-h-48 overflow-auto rounded-md bg-gray-50 p-3 font-mono text-xs text-gray-800">
              {python.packages.join("\n")}
            </pre>
          </details>
        )}
      </div>

      {git.diff !== null ? (
        <details className="text-sm">
          <summary className="cursor-pointer text-gray-700">Uncommitted changes ({git.diff.split("\n").length - 1} lines of diff)</summary>
          <pre aria-label="Uncommitted changes" className="mt-2 max-h-64 overflow-auto rounded-md bg-gray-50 p-3 font-mono text-xs text-gray-800">
            {git.diff}
          </pre>
        </details>
      ) : null}
    </div>
  );
}

/**
 * What the run recorded about its code, environment, data and command, what it did not, and a shell
 * script that runs it again (docs/reproducibility.md). Loaded on its own so the run page does not wait
 * for the artifact reads.
 */
export function ReproducePanel({ slug, runId }: { slug: string; runId: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.runs.reproduce.queryOptions({ projectSlug: slug, runId }));
  if (query.isError) return <ErrorMessage error={query.error} />;
  if (query.isPending) return <p className="text-sm text-gray-400">Loading…</p>;
  const reproduction = query.data;
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <div className="min-w-0 space-y-4">
        <Facts slug={slug} reproduction={reproduction} />
        {reproduction.missing.length > 0 ? (
          <Notice tone="warning">
            <p className="font-medium">Not recorded, so the script cannot restore it:</p>
            <ul className="mt-1 list-disc pl-5" aria-label="Not recorded">
              {reproduction.missing.map((fact) => (
                <li key={fact}>{fact}</li>
              ))}
            </ul>
          </Notice>
        ) : null}
        {reproduction.python.skipped.length > 0 ? (
          <Notice tone="info">
            <p className="font-medium">Files not read:</p>
            <ul className="mt-1 list-disc pl-5">
              {reproduction.python.skipped.map(({ file, reason }) => (
                <li key={`${file.loggedModel?.id ?? "run"}/${file.path}`}>
                  {fileLabel(file)}: {reason}
                </li>
              ))}
            </ul>
          </Notice>
        ) : null}
      </div>
      <div className="min-w-0 overflow-hidden rounded-md border border-gray-800 bg-gray-900">
        <div className="flex items-center justify-between border-b border-gray-800 px-3 py-1.5">
          <span className="text-xs font-medium text-gray-400">reproduce.sh</span>
          <CopyButton value={reproduction.script} label="Copy script" />
        </div>
        <pre aria-label="Reproduce script" className="max-h-[32rem] overflow-auto px-3 py-3 font-mono text-[13px] leading-relaxed text-gray-100">
          <code>{reproduction.script}</code>
        </pre>
      </div>
    </div>
  );
}
