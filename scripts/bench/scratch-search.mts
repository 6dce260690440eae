import { startBenchInstance } from "./instance";
import { mlflowClient } from "./mlflow-client";
import { loadAtScale, seedRuns } from "./vs-mlflow-workloads";
const instance = await startBenchInstance(3470);
const client = mlflowClient(instance.url, instance.token);
const { experimentId } = await seedRuns(client, loadAtScale(1, 8));
console.log(JSON.stringify({ url: instance.url, token: instance.token, databaseUrl: instance.databaseUrl, experimentId }));
await new Promise(() => undefined);
