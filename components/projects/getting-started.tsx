import Link from "next/link";
import { buttonClasses } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { CopyButton } from "../ui/copy-button";

function Snippet({ label, code }: { label: string; code: string }) {
  return (
    <div className="overflow-hidden rounded-md border border-gray-800 bg-gray-900">
      <div className="flex items-center justify-between border-b border-gray-800 px-3 py-1.5">
        <span className="text-xs font-medium text-gray-400">{label}</span>
        <CopyButton value={code} />
      </div>
      <pre className="overflow-x-auto px-3 py-3 font-mono text-[13px] leading-relaxed text-gray-100">
        <code>{code}</code>
      </pre>
    </div>
  );
}

/** How to log into this project with the unmodified mlflow client. */
export function GettingStarted({
  origin,
  slug,
  canManageTokens,
}: {
  origin: string;
  slug: string;
  canManageTokens: boolean;
}) {
  const shell = [
    "pip install mlflow",
    `export MLFLOW_TRACKING_URI=${origin}/projects/${slug}`,
    "export MLFLOW_TRACKING_TOKEN=<token>",
  ].join("\n");
  const python = [
    "import mlflow",
    "",
    'mlflow.set_experiment("my-first-experiment")',
    "",
    'with mlflow.start_run(run_name="baseline"):',
    '    mlflow.log_param("learning_rate", 0.01)',
    "    for step in range(10):",
    '        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)',
  ].join("\n");
  return (
    <Card>
      <CardHeader
        title="Getting started"
        description="Log runs from notebooks, training clusters and CI with the standard mlflow Python client."
      />
      <CardBody className="space-y-5">
        <ol className="space-y-5 text-sm text-gray-700">
          <li className="space-y-2">
            <p>
              <span className="font-semibold text-gray-900">1. Get an API token</span> for this project with the{" "}
              <code className="rounded bg-gray-100 px-1 font-mono text-xs">write</code> scope.
            </p>
            {canManageTokens ? (
              <Link href={`/projects/${slug}/settings/tokens`} className={buttonClasses("secondary", "sm")}>
                Create a token
              </Link>
            ) : (
              <p className="text-gray-500">Ask a maintainer or owner of this project to create one for you.</p>
            )}
          </li>
          <li className="space-y-2">
            <p>
              <span className="font-semibold text-gray-900">2. Point mlflow at Tally</span> in the shell that runs your
              training code:
            </p>
            <Snippet label="shell" code={shell} />
          </li>
          <li className="space-y-2">
            <p>
              <span className="font-semibold text-gray-900">3. Log as usual.</span> Params, metrics (per step), tags and
              artifacts land in this project:
            </p>
            <Snippet label="python" code={python} />
          </li>
        </ol>
      </CardBody>
    </Card>
  );
}
