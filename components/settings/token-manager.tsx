"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import { CreateTokenForm } from "./create-token-form";
import { NewTokenPanel } from "./new-token-panel";
import { TokensTable } from "./tokens-table";

export function TokenManager({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<{ name: string; plaintext: string } | null>(null);
  return (
    <>
      {created ? <NewTokenPanel {...created} onDismiss={() => setCreated(null)} /> : null}
      <CreateTokenForm
        slug={slug}
        onCreated={(plaintext, name) => {
          setCreated({ plaintext, name });
          void queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey({ projectSlug: slug }) });
        }}
      />
      <TokensTable slug={slug} />
    </>
  );
}
