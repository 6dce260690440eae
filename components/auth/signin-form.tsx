"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";
import { TextField } from "../ui/field";
import { signInWithPassword } from "./sign-in-after";

export function SignInForm({
  callbackUrl,
  initialError,
  sso,
  signupHref,
}: {
  callbackUrl: string;
  initialError: string | null;
  sso: { name: string } | null;
  signupHref: string | null;
}) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const message = await signInWithPassword(email, password);
    if (message) {
      setError(message);
      setPending(false);
      return;
    }
    window.location.assign(callbackUrl);
  }

  return (
    <div className="space-y-6">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <ErrorMessage>{error}</ErrorMessage>
        <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Button type="submit" className="w-full" pending={pending}>
          Sign in
        </Button>
      </form>
      {sso ? (
        <div className="space-y-3">
          <div className="flex items-center gap-3 text-xs uppercase text-gray-400">
            <span className="h-px flex-1 bg-gray-200" />
            or
            <span className="h-px flex-1 bg-gray-200" />
          </div>
          <Button variant="secondary" className="w-full" onClick={() => void signIn("oidc", { callbackUrl })}>
            Sign in with {sso.name}
          </Button>
        </div>
      ) : null}
      {signupHref ? (
        <p className="text-center text-sm text-gray-500">
          No account yet?{" "}
          <Link href={signupHref} className="font-medium text-indigo-600 hover:text-indigo-500">
            Sign up
          </Link>
        </p>
      ) : null}
    </div>
  );
}
