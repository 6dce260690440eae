export { GET } from "@/server/http/v1/tally-document";

export const dynamic = "force-dynamic";
