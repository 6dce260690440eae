/**
 * The web server that `npm start` and the test instances spawn:
 * `node --import tsx scripts/serve.ts --port 3000 [--hostname 127.0.0.1] [--dev]`.
 * With several web processes (TALLY_WEB_PROCESSES, one per core by default) this process is their
 * primary and each worker runs this script again (docs/operations.md, "Processes").
 */
import cluster from "node:cluster";
import path from "node:path";
import { parseArgs } from "node:util";
import { config } from "../server/config";
import { answerMetricsCollections } from "../server/observability/cluster-metrics";
import { serveTally } from "../server/runtime/http-server";
import { superviseWebProcesses, webProcessCount } from "../server/runtime/web-processes";
import { refreshBackgroundJobLag } from "../server/services/operations";

const { values } = parseArgs({
  options: { port: { type: "string", default: "3000" }, hostname: { type: "string" }, dev: { type: "boolean", default: false } },
});
const processes = webProcessCount(config(), values.dev);

if (cluster.isPrimary && processes > 1) {
  superviseWebProcesses(processes);
} else {
  if (cluster.isWorker) answerMetricsCollections(refreshBackgroundJobLag);
  await serveTally({
    dir: path.resolve(import.meta.dirname, ".."),
    port: Number(values.port),
    hostname: values.hostname,
    dev: values.dev,
  });
}
