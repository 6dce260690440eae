import Link from "next/link";
import type { ReactNode } from "react";
import type { KeyValue } from "@/server/services/runs";
import type { LineageNode } from "@/server/services/lineage/types";
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

/**
 * A model version's seeds as a compact tree: Data, Code, Experiment, Environment. `environment` is
 * what the run recorded about where it ran (its tags), listed as it is.
 */
export function SeedsTree({ slug, seeds, environment }: { slug: string; seeds: Seeds; environment: KeyValue[] }) {
  const { run, parents, baseModels, jobs } = seeds.experiment;
  return (
    <div className="space-y-1" aria-label="Seeds" role="group">
      <Section title="Data" count={seeds.data.length}>
        {seeds.data.length ? <DataItems slug={slug} items={seeds.data} label="Data" /> : <Missing>No dataset inputs recorded upstream of this version.</Missing>}
      </Section>
      <Section title="Code">
        <dl aria-label="Code" className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-0.5 text-sm">
          {seeds.code.map((fact) => (
            <div key={fact.label} className="contents">
              <dt className="text-gray-500">{fact.label}</dt>
              <dd className="break-all font-mono text-xs leading-5">{fact.value ?? <span className="font-sans text-gray-400">not recorded</span>}</dd>
            </div>
          ))}
        </dl>
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
        {environment.length ? (
          <dl aria-label="Environment" className="grid grid-cols-[minmax(7rem,auto)_1fr] gap-x-3 gap-y-0.5 text-sm">
            {environment.map((tag) => (
              <div key={tag.key} className="contents">
                <dt className="break-all font-mono text-xs leading-5 text-gray-500">{tag.key}</dt>
                <dd className="break-all font-mono text-xs leading-5">{tag.value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <Missing>The run recorded nothing about its environment.</Missing>
        )}
      </Section>
    </div>
  );
}
