import type { PolicyProblem } from "@/server/services/policy/types";

/** Why a policy was refused, each reason at its line (and key path). */
export function PolicyProblems({ problems }: { problems: PolicyProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      <p className="font-medium">The policy was not saved:</p>
      <ul className="mt-1 space-y-1">
        {problems.map((problem, index) => (
          <li key={index}>
            <span className="font-mono text-xs">
              line {problem.line}, column {problem.column}
              {problem.path ? ` (${problem.path})` : ""}
            </span>
            : {problem.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** YAML with line numbers, the lines with problems marked. */
export function NumberedYaml({ text, problems = [] }: { text: string; problems?: PolicyProblem[] }) {
  const bad = new Set(problems.map((problem) => problem.line));
  return (
    <pre className="max-h-[32rem] overflow-auto rounded-md border border-gray-200 bg-gray-50 py-2 text-xs leading-5" data-testid="policy-yaml">
      {text.split("\n").map((line, index) => (
        <div key={index} className={bad.has(index + 1) ? "bg-red-100" : undefined}>
          <span className="inline-block w-10 select-none pr-3 text-right text-gray-400">{index + 1}</span>
          <span className="font-mono text-gray-900">{line}</span>
        </div>
      ))}
    </pre>
  );
}
