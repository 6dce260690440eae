import { signIn } from "next-auth/react";
import { signInErrorMessage } from "./sign-in-errors";

/** Signs in with email and password without leaving the page; returns an error message or null. */
export async function signInWithPassword(email: string, password: string): Promise<string | null> {
  const result = await signIn("credentials", { email, password, redirect: false });
  if (!result) return "Sign-in is not available right now. Please try again later.";
  if (result.error) return signInErrorMessage(result.error);
  return null;
}
