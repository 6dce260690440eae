export { GET } from "@/server/http/v1/lineage-impact";

export const dynamic = "force-dynamic";
