export { GET, POST } from "@/server/http/v1/promotion-requests";

export const dynamic = "force-dynamic";
