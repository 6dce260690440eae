import "server-only";
import { cache } from "react";
import { currentActor } from "../auth/current-actor";
import { createCaller } from "./root";

/** For server components: the signed-in person (once per request) and a tRPC caller acting as them. */
export const signedInUser = cache(currentActor);
export const serverCaller = cache(async () => createCaller({ actor: await signedInUser() }));
