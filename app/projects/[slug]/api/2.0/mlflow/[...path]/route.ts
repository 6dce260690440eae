export { DELETE, GET, PATCH, POST } from "@/server/http/mlflow/route-module";

export const dynamic = "force-dynamic";
