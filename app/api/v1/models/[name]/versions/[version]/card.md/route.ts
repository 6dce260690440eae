export { GET } from "@/server/http/v1/model-card";

export const dynamic = "force-dynamic";
