import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

/** What each tRPC procedure returns (Dates stay Dates: the API uses superjson). */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

export type OrgSummary = RouterOutputs["org"]["list"][number];
export type ProjectSummary = RouterOutputs["project"]["list"][number];
export type MemberRow = RouterOutputs["member"]["list"][number];
export type InvitationRow = RouterOutputs["invitation"]["list"][number];
export type ApiKeyRow = RouterOutputs["apiKey"]["list"][number];
export type Role = OrgSummary["role"];
export type TunnelRow = RouterOutputs["tunnel"]["list"][number];
