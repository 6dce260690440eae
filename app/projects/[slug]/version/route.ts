import { versionResponse } from "@/server/http/probes";

export const dynamic = "force-dynamic";
export const GET = versionResponse;
