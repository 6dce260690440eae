export { GET } from "@/server/http/v1/metric-history";

export const dynamic = "force-dynamic";
