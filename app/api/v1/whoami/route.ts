export { GET } from "@/server/http/v1/whoami";

export const dynamic = "force-dynamic";
