import { getServerSession } from "next-auth";
import type { UserActor } from "../services/access";
import { getUser } from "../services/users";
import { authOptions } from "./options";

/** The signed-in person for this request, re-read from the database (accounts can change or vanish). */
export async function currentActor(): Promise<UserActor | null> {
  const session = (await getServerSession(authOptions())) as { userId?: string } | null;
  if (!session?.userId) return null;
  const user = await getUser(session.userId);
  return user ? { type: "USER", userId: user.id, email: user.email, isAdmin: user.isAdmin } : null;
}
