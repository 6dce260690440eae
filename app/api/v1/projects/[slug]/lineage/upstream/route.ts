export { GET } from "@/server/http/v1/lineage-upstream";

export const dynamic = "force-dynamic";
