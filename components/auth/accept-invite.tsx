"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/lib/trpc-client";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";

export function AcceptInvite({ token, projectName }: { token: string; projectName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.invites.accept.mutationOptions({
      onSuccess: ({ projectSlug }) => router.push(`/projects/${projectSlug}`),
    }),
  );
  return (
    <div className="space-y-4">
      <ErrorMessage error={accept.error} />
      <Button className="w-full" pending={accept.isPending || accept.isSuccess} onClick={() => accept.mutate({ token })}>
        Accept and join {projectName}
      </Button>
    </div>
  );
}
