import { startBenchInstance } from "./instance";
const instance = await startBenchInstance(3472);
console.log(JSON.stringify({ url: instance.url, token: instance.token, databaseUrl: instance.databaseUrl }));
await new Promise(() => undefined);
