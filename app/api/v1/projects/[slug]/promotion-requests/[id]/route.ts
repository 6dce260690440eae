export { GET } from "@/server/http/v1/promotion-request";

export const dynamic = "force-dynamic";
