"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/server/trpc/react";
import { Button } from "@/app/_components/button";
import { useToast } from "@/app/_components/toast";

export function AcceptInvitation({ token, orgName }: { token: string; orgName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const accept = useMutation(
    trpc.invitation.accept.mutationOptions({
      async onSuccess(joined) {
        toast.success(`You joined ${orgName}`);
        // accept() returns the org's id; its URL uses the slug.
        const orgs = await queryClient.fetchQuery({ ...trpc.org.list.queryOptions(), staleTime: 0 });
        const org = orgs.find((o) => o.id === joined?.orgId);
        router.push(org ? `/${org.slug}` : "/");
        router.refresh();
      },
    }),
  );
  return (
    <div className="space-y-3">
      {accept.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300">
          {accept.error.message}
        </p>
      ) : null}
      <Button onClick={() => accept.mutate({ token })} loading={accept.isPending || accept.isSuccess} className="w-full">
        Accept and join {orgName}
      </Button>
    </div>
  );
}
