import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
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
  // stdout is uvicorn's access log; stderr says when each worker is ready, and is passed on.
  const server = spawn(mlflow, args, { env: { ...process.env, ...settings }, stdio: ["ignore", "ignore", "pipe"], detached: true });
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const running = () => server.exitCode === null && server.signalCode === null;
  // Being in a group of its own, it does not get the Ctrl-C that ends this process. Nothing waits for
  // a graceful shutdown then, and a worker still starting would retry its database for minutes.
  const killOnExit = () => {
    if (running()) process.kill(-server.pid!, "SIGKILL");
    rmSync(artifacts, { recursive: true, force: true });
  };
  process.once("exit", killOnExit);
  const stop = async () => {
    if (running()) {
      process.kill(-server.pid!, "SIGTERM");
      await exited;
    }
    await rm(artifacts, { recursive: true, force: true });
    process.off("exit", killOnExit);
  };

  // Every worker, not only the first: /health answers as soon as one of them listens. The first start
  // also creates MLflow's tables in the empty database (its Alembic migrations).
  const ready = new Promise<boolean>((resolve) => {
    let started = 0;
    createInterface({ input: server.stderr! }).on("line", (line) => {
      process.stderr.write(`${line}\n`);
      if (line.includes("Application startup complete") && ++started === options.workers) resolve(true);
    });
    void exited.then(() => resolve(false));
    setTimeout(() => resolve(false), 120_000).unref();
  });
  if (!(await ready)) {
    await stop();
    throw new Error(`MLflow's server did not start on port ${options.port}`);
  }
  const described = `mlflow server ${args.slice(1).join(" ").replace(backendStore, "postgresql+psycopg2://…")}`;
  return {
    url: `http://127.0.0.1:${options.port}`,
    description: `${Object.entries(settings).map(([name, value]) => `${name}=${value}`).join(" ")} ${described}`,
    stop,
  };
}
