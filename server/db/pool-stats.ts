import type pg from "pg";
import { prismaPool } from "./client";
import { existingGenericPlanPool, existingPgPool } from "./pool";

export interface PoolStats {
  pool: "prisma" | "raw" | "generic-plan";
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/** Connection counts of the process's pools (those opened so far). */
export function poolStats(): PoolStats[] {
  const pools: [PoolStats["pool"], pg.Pool | undefined][] = [
    ["prisma", prismaPool()],
    ["raw", existingPgPool()],
    ["generic-plan", existingGenericPlanPool()],
  ];
  return pools.flatMap(([name, pool]) =>
    pool ? [{ pool: name, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 }] : [],
  );
}
