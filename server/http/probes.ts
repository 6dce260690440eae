import packageJson from "../../package.json" with { type: "json" };

/**
 * Probes the mlflow client sends to `<tracking_uri>/health`, `/version` and
 * `/api/3.0/mlflow/server-info`. The version is the MLflow client line Tally is tested against,
 * because the client gates features on it (span logging needs >= 3.4).
 */
export const MLFLOW_COMPATIBLE_VERSION = "3.17.2";

export function healthResponse(): Response {
  return new Response("OK", { headers: { "content-type": "text/plain" } });
}

export function versionResponse(): Response {
  return new Response(MLFLOW_COMPATIBLE_VERSION, {
    headers: { "content-type": "text/plain", "x-tally-version": packageJson.version },
  });
}

export function serverInfoResponse(): Response {
  return Response.json({ store_type: "SqlStore", workspaces_enabled: false });
}
