import Link from "next/link";
import type { ReactNode } from "react";
import type { LineageNode } from "@/server/services/lineage/types";
import type { Reproduction } from "@/server/services/reproduce";
import { runHref } from "../tracking/run-links";
import { KIND_NAMES, nodeHref } from "./graph-model";
import type { Seeds, SeedItem } from "./seeds";

function NodeLink({ slug, node }: { slug: string; node: LineageNode }) {
  const href = nodeHref(slug, node);
  return href ? (
    <Link href={href} className="text-indigo-600 hover:underline">
      {node.label}
    </Link>
  ) : (
    <span className="text-gray-900">{node.label}</span>
  );
}

function Section({ title, count, children }: { title: string; count?: number; children: ReactNode }) {
  return (
    <details open className="group">
      <summary className="cursor-pointer select-none py-1 text-sm font-semibold text-gray-900">
        {title}
        {count === undefined ? null : <span className="ml-1.5 font-normal text-gray-500">({count})</span>}
      </summary>
      <div className="ml-2 border-l border-gray-200 pb-2 pl-4">{children}</div>
    </details>
  );
}

const Missing = ({ children }: { children: ReactNode }) => <p className="text-sm text-gray-500">{children}</p>;

function DataItems({ slug, items, label }: { slug: string; items: SeedItem[]; label: string }) {
  return (
    <ul aria-label={label} className="space-y-1.5 text-sm">
      {items.map((item) => (
        <li key={item.node.id}>
          <span className="mr-1.5 text-xs uppercase tracking-wide text-gray-500">{KIND_NAMES[item.node.kind]}</span>
          <NodeLink slug={slug} node={item.node} />
          {item.digest ? <code className="ml-1.5 text-xs text-gray-500">{item.digest}</code> : null}
          {item.contexts.length ? <span className="ml-1.5 text-xs text-gray-700">({item.contexts.join(", ")})</span> : null}
          {item.usedBy ? <span className="ml-1.5 text-xs text-gray-500">read by {item.usedBy.label}</span> : null}
          {item.repeated ? <span className="ml-1.5 text-xs text-gray-400">(already listed)</span> : null}
          {item.children.length ? (
            <div className="ml-2 mt-1 border-l border-gray-200 pl-3">
              <DataItems slug={slug} items={item.children} label={`Upstream of ${item.node.label}`} />
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function NodeList({ slug, label, nodes }: { slug: string; label: string; nodes: LineageNode[] }) {
  if (nodes.length === 0) return null;
  return (
    <div className="text-sm">
      <span className="text-gray-500">{label}: </span>
      {nodes.map((node, index) => (
        <span key={node.id}>
          {index ? ", " : null}
          <NodeLink slug={slug} node={node} />
        </span>
      ))}
    </div>
  );
}

const NOT_RECORDED = <span className="font-sans text-gray-400">not recorded</span>;

function Facts({ label, facts }: { label: string; facts: [string, ReactNode][] }) {
  return (
    <dl aria-label={label} className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-0.5 text-sm">
      {facts.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-gray-500">{term}</dt>
          <dd className="break-all font-mono text-xs leading-5">{value ?? NOT_RECORDED}</dd>
        </div>
      ))}
    </dl>
  );
}

function workingTree(git: Reproduction["git"]): string | null {
  if (git.dirty === null) return null;
  return git.dirty ? "uncommitted changes" : "clean";
}

function fileLabel(file: Reproduction["python"]["from"][number]): string {
  return file.loggedModel ? `${file.path} of logged model ${file.loggedModel.name}` : `run artifact ${file.path}`;
}

function Environment({ python }: { python: Reproduction["python"] }) {
  const packagesFrom = python.from.find((file) => file.gave.includes("packages"));
  return (
    <div className="space-y-1">
      <Facts
        label="Environment"
        facts={[
          ["Python", python.version],
          ["Packages", python.packages.length ? `${python.packages.length} from ${packagesFrom ? fileLabel(packagesFrom) : "the run"}` : null],
        ]}
      />
      {python.packages.length ? (
        <details className="text-sm">
          <summary className="cursor-pointer text-gray-600">Package list</summary>
          <ul aria-label="Packages" className="mt-1 max-h-48 overflow-auto font-mono text-xs">
            {python.packages.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/**
 * A model version's seeds as a compact tree: Data and Experiment from its upstream graph, Code and
 * Environment from what its run recorded (the run page's Reproduce panel has the rest, and a script).
 * `reproduction` is null when the version names no run of this project.
 */
export function SeedsTree({ slug, seeds, reproduction }: { slug: string; seeds: Seeds; reproduction: Reproduction | null }) {
  const { run, parents, baseModels, jobs } = seeds.experiment;
  return (
    <div className="space-y-1" aria-label="Seeds" role="group">
      <Section title="Data" count={seeds.data.length}>
        {seeds.data.length ? <DataItems slug={slug} items={seeds.data} label="Data" /> : <Missing>No dataset inputs recorded upstream of this version.</Missing>}
      </Section>
      <Section title="Code">
        {reproduction ? (
          <Facts
            label="Code"
            facts={[
              ["Commit", reproduction.git.commit],
              ["Branch", reproduction.git.branch],
              ["Repository", reproduction.git.repoUrl],
              [reproduction.entryPointKind === "mlflowProject" ? "MLflow entry point" : "Entry point", reproduction.entryPoint],
              ["Command", reproduction.command],
              ["Working tree", workingTree(reproduction.git)],
            ]}
          />
        ) : (
          <Missing>No run recorded the code.</Missing>
        )}
      </Section>
      <Section title="Experiment">
        {run ? (
          <div className="space-y-1 text-sm">
            <div>
              <span className="text-gray-500">Run: </span>
              <NodeLink slug={slug} node={run} />
              {run.detail ? <span className="ml-1.5 text-xs text-gray-500">{run.detail}</span> : null}
            </div>
            <NodeList slug={slug} label="Parent runs" nodes={parents} />
            <NodeList slug={slug} label="Base models" nodes={baseModels} />
            <NodeList slug={slug} label="Started by" nodes={jobs} />
          </div>
        ) : (
          <Missing>This version names no run of this project.</Missing>
        )}
      </Section>
      <Section title="Environment">
        {reproduction ? <Environment python={reproduction.python} /> : <Missing>No run recorded the environment.</Missing>}
      </Section>
      {reproduction ? (
        <p className="pt-1 text-sm text-gray-600">
          Everything the run recorded, what it did not, and a script to run it again:{" "}
          <Link href={runHref(slug, reproduction.runId)} className="text-indigo-600 hover:underline">
            the run&apos;s Reproduce panel
          </Link>
          .
        </p>
      ) : null}
    </div>
  );
}
