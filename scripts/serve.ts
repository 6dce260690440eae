/**
 * The web server process that `npm start` and the test instances spawn:
 * `node --import tsx scripts/serve.ts --port 3000 [--hostname 127.0.0.1] [--dev]`.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { serveTally } from "../server/runtime/http-server";

const { values } = parseArgs({
  options: { port: { type: "string", default: "3000" }, hostname: { type: "string" }, dev: { type: "boolean", default: false } },
});
await serveTally({
  dir: path.resolve(import.meta.dirname, ".."),
  port: Number(values.port),
  hostname: values.hostname,
  dev: values.dev,
});
