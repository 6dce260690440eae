export { GET } from "@/server/http/v1/mlflow-document";

export const dynamic = "force-dynamic";
