import type { Prisma } from "./generated/client";
import { db } from "./client";

export type Tx = Prisma.TransactionClient;

/** Runs `work` in one transaction; audit events written with the same `tx` commit or roll back with it. */
export function transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(work);
}
