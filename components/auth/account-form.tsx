"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { PASSWORD_MIN_LENGTH } from "@/lib/schemas/accounts";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { ErrorMessage, errorText } from "../ui/error-message";
import { TextField } from "../ui/field";
import { signInWithPassword } from "./sign-in-after";

/**
 * Creates an account (the first administrator on /setup, or a sign-up, possibly through an invite),
 * then signs in with it and goes on.
 */
export function AccountForm({
  submitLabel,
  inviteToken,
  setupToken,
  destination,
}: {
  submitLabel: string;
  inviteToken?: string;
  /** Present on /setup when Tally asks for the setup token it printed at start. */
  setupToken?: { initial: string };
  destination: string;
}) {
  const trpc = useTRPC();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [token, setToken] = useState(setupToken?.initial ?? "");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (password !== confirm) {
      setError("The passwords do not match");
      return;
    }
    setPending(true);
    try {
      await signUp.mutateAsync({
        email,
        name: name || undefined,
        password,
        inviteToken,
        setupToken: setupToken ? token.trim() : undefined,
      });
      const signInError = await signInWithPassword(email, password);
      if (signInError) {
        setError(`Your account was created, but signing in failed: ${signInError}`);
        setPending(false);
        return;
      }
      window.location.assign(destination);
    } catch (caught) {
      setError(errorText(caught));
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <ErrorMessage>{error}</ErrorMessage>
      {setupToken && (
        <TextField
          label="Setup token"
          autoComplete="off"
          required
          value={token}
          onChange={(e) => setToken(e.target.value)}
          hint="Tally printed it in its log when it started (or it is TALLY_SETUP_TOKEN)."
        />
      )}
      <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <TextField label="Name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} hint="Optional; shown to your teammates." />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_LENGTH}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
      />
      <TextField
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
      />
      <Button type="submit" className="w-full" pending={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}
