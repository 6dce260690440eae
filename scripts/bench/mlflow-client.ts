import http from "node:http";

export type Json = Record<string, unknown>;

/**
 * The MLflow REST API (`/api/2.0/mlflow/...`) of one server, for load generators: node:http over
 * keep-alive connections, which costs this process less CPU per request than fetch. The client shares
 * the machine's cores with the server it measures, so what it spends is taken from the server.
 */
export interface MlflowClient {
  get(endpoint: string, query: Record<string, string>): Promise<Json>;
  /** `body` may be serialized already, so that a load generator can do it before its clock starts. */
  post(endpoint: string, body: unknown): Promise<Json>;
  /** Closes the idle connections. */
  close(): void;
}

/** `serverUrl` is where the API lives: a Tally project's URL, or an MLflow server's root. */
export function mlflowClient(serverUrl: string, token?: string): MlflowClient {
  const base = new URL(`${serverUrl.replace(/\/$/, "")}/api/2.0/mlflow/`);
  // Idle connections are dropped after 2 s, before the server's own keep-alive timeout (5 s for both
  // Node and uvicorn) can close one just as a request is written to it.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 2_000 });
  const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};

  const send = (method: "GET" | "POST", endpoint: string, search: string, body?: string) =>
    new Promise<Json>((resolve, reject) => {
      const request = http.request(
        {
          agent,
          method,
          host: base.hostname,
          port: base.port,
          path: `${base.pathname}${endpoint}${search}`,
          headers: {
            ...authorization,
            ...(body === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = response.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              reject(new Error(`${method} ${endpoint}: ${status} ${text.slice(0, 500)}`));
              return;
            }
            try {
              resolve((text ? JSON.parse(text) : {}) as Json);
            } catch {
              reject(new Error(`${method} ${endpoint}: ${status} with a body that is not JSON: ${text.slice(0, 200)}`));
            }
          });
        },
      );
      request.on("error", reject);
      request.end(body);
    });

  return {
    get: (endpoint, query) => send("GET", endpoint, `?${new URLSearchParams(query).toString()}`),
    post: (endpoint, body) => send("POST", endpoint, "", typeof body === "string" ? body : JSON.stringify(body)),
    close: () => agent.destroy(),
  };
}
