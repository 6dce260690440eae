import type pg from "pg";
import { prismaPool } from "./client";
import { existingPgPool } from "./pool";

export interface PoolStats {
  pool: "prisma" | "raw";
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/** Connection counts of the process's two pools (those opened so far). */
export function poolStats(): PoolStats[] {
  const pools: [PoolStats["pool"], pg.Pool | undefined][] = [
    ["prisma", prismaPool()],
    ["raw", existingPgPool()],
  ];
  return pools.flatMap(([name, pool]) =>
    pool ? [{ pool: name, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 }] : [],
  );
}
