import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

/**
 * What each tRPC procedure returns, as the client receives it: components take their props from
 * here (`RouterOutputs["runs"]["get"]`) instead of copying the services' types by hand.
 */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
