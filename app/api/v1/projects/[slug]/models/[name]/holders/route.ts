export { GET } from "@/server/http/v1/holders";

export const dynamic = "force-dynamic";
