export { POST } from "@/server/http/v1/project-lineage";

export const dynamic = "force-dynamic";
