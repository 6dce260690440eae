export { POST } from "@/server/http/v1/lineage";

export const dynamic = "force-dynamic";
