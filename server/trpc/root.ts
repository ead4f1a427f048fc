import { createCallerFactory, createTRPCRouter } from "./init";
import { accountRouter } from "./routers/account";
import { analyticsRouter } from "./routers/analytics";
import { apiKeyRouter } from "./routers/api-key";
import { invitationRouter } from "./routers/invitation";
import { memberRouter } from "./routers/member";
import { orgRouter } from "./routers/org";
import { projectRouter } from "./routers/project";
import { tunnelRouter } from "./routers/tunnel";

export const appRouter = createTRPCRouter({
  org: orgRouter,
  member: memberRouter,
  invitation: invitationRouter,
  project: projectRouter,
  apiKey: apiKeyRouter,
  account: accountRouter,
  analytics: analyticsRouter,
  tunnel: tunnelRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
