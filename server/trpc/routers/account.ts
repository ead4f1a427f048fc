import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { hashPassword, PASSWORD_MAX_LENGTH, passwordProblem, verifyPassword } from "../../auth/password";
import { PASSWORD_CHANGE_POLICY } from "../../auth/sign-in-limits";
import { rateLimiter } from "../../ratelimit";
import { createTRPCRouter, protectedProcedure } from "../init";

export const accountRouter = createTRPCRouter({
  get: protectedProcedure.query(async ({ ctx }) => {
    const user = await ctx.db.user.findUnique({
      where: { id: ctx.session.user.id },
      select: { id: true, name: true, email: true, image: true, createdAt: true, passwordHash: true, accounts: { select: { provider: true } } },
    });
    if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account no longer exists. Sign in again." });
    const { passwordHash, accounts, ...rest } = user;
    return { ...rest, hasPassword: passwordHash !== null, providers: [...new Set(accounts.map((a) => a.provider))] };
  }),

  update: protectedProcedure
    .input(z.object({ name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(80, "Name must be at most 80 characters") }))
    .mutation(async ({ ctx, input }) => {
      return ctx.db.user.update({ where: { id: ctx.session.user.id }, data: { name: input.name }, select: { id: true, name: true, email: true } });
    }),

  /**
   * `current` is required when the account has a password; accounts made through OAuth or an
   * email link may set a first password with `current` empty.
   */
  changePassword: protectedProcedure
    .input(z.object({ current: z.string().max(PASSWORD_MAX_LENGTH), next: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const problem = passwordProblem(input.next);
      if (problem) throw new TRPCError({ code: "BAD_REQUEST", message: `New password: ${problem}` });
      const userId = ctx.session.user.id;
      const limiter = rateLimiter();
      const limit = await limiter.peek(PASSWORD_CHANGE_POLICY, userId);
      if (!limit.allowed) {
        throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many wrong passwords. Try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.` });
      }
      const user = await ctx.db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
      if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account no longer exists. Sign in again." });
      if (user.passwordHash && !(await verifyPassword(input.current, user.passwordHash))) {
        await limiter.hit(PASSWORD_CHANGE_POLICY, userId);
        throw new TRPCError({ code: "BAD_REQUEST", message: "Current password is wrong." });
      }
      await ctx.db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(input.next) } });
      await limiter.reset(PASSWORD_CHANGE_POLICY, userId);
      return { ok: true as const };
    }),
});
