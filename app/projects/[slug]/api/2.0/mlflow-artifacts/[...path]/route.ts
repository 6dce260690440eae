export { DELETE, GET, POST, PUT } from "@/server/http/mlflow-artifacts/route-module";

export const dynamic = "force-dynamic";
