/**
 * node --import tsx scripts/cpu-profile-summary.ts <file.cpuprofile | directory> [--top 30]
 *
 * Aggregates a V8 CPU profile (node --cpu-prof) by self time: the functions (name and source file)
 * and the files that used the most CPU themselves, idle and GC shown apart. Given a directory, reads
 * its largest profile (the busiest process of a run).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const { values, positionals } = parseArgs({ options: { top: { type: "string", default: "30" } }, allowPositionals: true });
const target = positionals[0];
if (!target) throw new Error("usage: cpu-profile-summary.ts <file.cpuprofile | directory> [--top N]");

function largestProfile(dir: string): string {
  const files = readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  return path.join(dir, files.sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0]!);
}

const file = statSync(target).isDirectory() ? largestProfile(target) : target;
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

// Self time per node: each sample's time delta goes to the node it was taken in.
const selfMicros = new Map<number, number>();
profile.samples.forEach((nodeId, index) => selfMicros.set(nodeId, (selfMicros.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0)));

/** Paths shortened to what tells them apart: the package, or the path inside the repository. */
function shortUrl(url: string): string {
  if (!url) return "(native)";
  const nodeModules = url.lastIndexOf("node_modules/");
  if (nodeModules >= 0) return url.slice(nodeModules + "node_modules/".length);
  const root = path.resolve(import.meta.dirname, "..");
  return url.replace(`file://${root}/`, "").replace(`${root}/`, "");
}

const parentOf = new Map<number, ProfileNode>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));

/** The nearest caller with a source file: where a native function (a socket write, a hash) was called from. */
function jsCaller(node: ProfileNode): string {
  for (let current = parentOf.get(node.id); current; current = parentOf.get(current.id)) {
    if (current.callFrame.url) return `${current.callFrame.functionName || "(anonymous)"}  ${shortUrl(current.callFrame.url)}:${current.callFrame.lineNumber + 1}`;
  }
  return "(no caller)";
}

const byFunction = new Map<string, number>();
const nativeByCaller = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (micros === 0) continue;
  total += micros;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = shortUrl(url);
  const name = `${functionName || "(anonymous)"}  ${where}${url ? `:${lineNumber + 1}` : ""}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  // A package's files count as the package; our own files by path.
  // V8's own entries ((idle), (garbage collector), (program)) have no file; they keep their name.
  const fileKey = !url ? functionName : url.includes("node_modules/") ? where.split("/").slice(0, where.startsWith("@") ? 2 : 1).join("/") : where;
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + micros);
  const vmEntry = ["(idle)", "(program)", "(garbage collector)", "(root)"].includes(functionName);
  if (!url && !vmEntry) {
    const caller = `${functionName} <- ${jsCaller(nodeById.get(node.id)!)}`;
    nativeByCaller.set(caller, (nativeByCaller.get(caller) ?? 0) + micros);
  }
}

const top = Number(values.top);
const idle = [...byFunction].filter(([name]) => name.startsWith("(idle)")).reduce((sum, [, micros]) => sum + micros, 0);
const busy = total - idle;
const percent = (micros: number) => `${((100 * micros) / busy).toFixed(1).padStart(5)}%`;
const table = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title} (share of busy time)`);
  for (const [name, micros] of [...entries].filter(([name]) => !name.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${percent(micros)} ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
};

console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)}%)`);
table("Top functions by self time", byFunction);
table("Top files and packages by self time", byFile);
table("Native functions by their JavaScript caller", nativeByCaller);
