import { serverInfoResponse } from "@/server/http/probes";

export const dynamic = "force-dynamic";
export const GET = serverInfoResponse;
