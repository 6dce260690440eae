export { GET, PUT } from "@/server/http/v1/policy";

export const dynamic = "force-dynamic";
