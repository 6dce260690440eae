import packageJson from "../../package.json" with { type: "json" };
import { multipartSupported } from "../services/artifacts";

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

/**
 * The client uses multipart uploads and parallel presigned downloads for large files only when the
 * server says it can: with the S3 store it can (parts and ranges go straight to the bucket).
 */
export function serverInfoResponse(): Response {
  const multipart = multipartSupported();
  return Response.json({
    store_type: "SqlStore",
    workspaces_enabled: false,
    multipart_uploads_enabled: multipart,
    multipart_downloads_enabled: multipart,
  });
}
