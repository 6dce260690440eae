import { healthResponse } from "@/server/http/probes";

export const dynamic = "force-dynamic";
export const GET = healthResponse;
