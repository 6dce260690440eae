export { POST } from "@/server/http/v1/dvc-import";

export const dynamic = "force-dynamic";
