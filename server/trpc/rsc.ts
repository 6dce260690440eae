import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { cache } from "react";
import { currentActor } from "../auth/current-actor";
import { createCaller } from "./root";

/** For server components: the signed-in person (once per request) and a tRPC caller acting as them. */
export const signedInUser = cache(currentActor);
export const serverCaller = cache(async () => createCaller({ actor: await signedInUser() }));

/**
 * A page's lookup: NOT_FOUND and FORBIDDEN become the 404 page (a project or object the caller may
 * not see does not exist for them); anything else, such as a database outage, stays an error.
 */
export async function findOr404<T>(lookup: () => Promise<T>): Promise<T> {
  try {
    return await lookup();
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
}
