import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensurePythonVenv } from "../python-venv";

const root = path.resolve(import.meta.dirname, "../..");
const requirements = path.join(import.meta.dirname, "mlflow-server-requirements.txt");

export interface MlflowServer {
  url: string;
  /** The settings it runs with, for the benchmark's report. */
  description: string;
  stop(): Promise<void>;
}

/**
 * The `mlflow` command of MLflow's own server, installed from PyPI into .venv-mlflow-server (once; again
 * when mlflow-server-requirements.txt changes), at the version of the client the compatibility suite
 * pins: a comparison with another version would not be the one Tally claims.
 */
export function installMlflowServer(): string {
  const pinned = (file: string, name: string) => new RegExp(`^${name}==(\\S+)`, "m").exec(readFileSync(file, "utf8"))?.[1];
  const server = pinned(requirements, "mlflow");
  const client = pinned(path.join(root, "compat", "requirements.txt"), "mlflow-skinny");
  if (!server || server !== client) {
    throw new Error(`${path.relative(root, requirements)} pins mlflow ${server}, compat/requirements.txt mlflow-skinny ${client}: make them equal`);
  }
  const bin = ensurePythonVenv(path.join(root, ".venv-mlflow-server"), requirements, () =>
    console.log(`installing mlflow ${server} (server) from PyPI into .venv-mlflow-server`),
  );
  return path.join(bin, "mlflow");
}

/**
 * MLflow's tracking server as its documentation deploys it for a team: a PostgreSQL backend store,
 * proxied artifacts in a local folder, uvicorn (its default) with `workers` processes. Two documented
 * switches remove work that is not serving requests: job execution (huey consumer processes for GenAI
 * jobs) and telemetry (a background thread posting usage to mlflow.org, which is unreachable here).
 */
export async function startMlflowServer(mlflow: string, options: { databaseUrl: string; port: number; workers: number }): Promise<MlflowServer> {
  const artifacts = await mkdtemp(path.join(tmpdir(), "mlflow-artifacts-"));
  // SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; the driver installed is psycopg2.
  const backendStore = options.databaseUrl.replace(/^postgres(ql)?:\/\//, "postgresql+psycopg2://");
  const args = [
    "server",
    "--backend-store-uri",
    backendStore,
    "--artifacts-destination",
    artifacts,
    "--host",
    "127.0.0.1",
    "--port",
    String(options.port),
    "--workers",
    String(options.workers),
  ];
  const settings = { MLFLOW_SERVER_ENABLE_JOB_EXECUTION: "false", MLFLOW_DISABLE_TELEMETRY: "true" };
  // Its own process group, so that stopping it reaches uvicorn's supervisor and workers too. Its
  // stdout is uvicorn's access log.
  const server = spawn(mlflow, args, { env: { ...process.env, ...settings }, stdio: ["ignore", "ignore", "inherit"], detached: true });
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      process.kill(-server.pid!, "SIGTERM");
      await exited;
    }
    await rm(artifacts, { recursive: true, force: true });
  };
  // The first start creates MLflow's tables in the empty database (its Alembic migrations): allow time.
  for (let attempt = 0; attempt < 600; attempt++) {
    if (server.exitCode !== null) break;
    const healthy = await fetch(`${url}/health`).then((response) => response.ok, () => false);
    if (healthy) {
      const described = `mlflow server ${args.slice(1).join(" ").replace(backendStore, "postgresql+psycopg2://…")}`;
      return { url, description: `${Object.entries(settings).map(([name, value]) => `${name}=${value}`).join(" ")} ${described}`, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`MLflow's server did not start on port ${options.port}`);
}
