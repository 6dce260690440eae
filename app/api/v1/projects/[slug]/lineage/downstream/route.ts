export { GET } from "@/server/http/v1/lineage-downstream";

export const dynamic = "force-dynamic";
