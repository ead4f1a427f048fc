import type { Metadata } from "next";
import Link from "next/link";
import { call, listOrgs } from "@/app/_components/data";
import { signOutAction } from "@/app/_components/actions";
import { Badge } from "@/app/_components/badge";
import { Button } from "@/app/_components/button";
import { isoMinute } from "@/app/_components/format";
import { PageHeader, Section } from "@/app/_components/page-header";
import { ThemeToggle } from "@/app/_components/theme";
import { serverApi } from "@/server/trpc/server";
import { ChangePasswordForm, ProfileForm } from "./account-forms";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const account = await call(async () => (await serverApi()).account.get(), "/account");
  const orgs = await listOrgs();
  return (
    <div className="space-y-8">
      <PageHeader title="Account" description={`Signed in as ${account.email}. Member since ${isoMinute(account.createdAt)?.slice(0, 10)}.`} />
      <Section id="profile" title="Profile" description="Your name is shown to the people in your organizations.">
        <ProfileForm name={account.name ?? ""} email={account.email} providers={account.providers} />
      </Section>
      <Section
        id="password"
        title={account.hasPassword ? "Change password" : "Set a password"}
        description={account.hasPassword ? "You will stay signed in on this device." : "You sign in through a provider; a password lets you sign in with your email too."}
      >
        <ChangePasswordForm hasPassword={account.hasPassword} email={account.email} />
      </Section>
      <Section id="appearance" title="Appearance" description="Follow your system, or pick light or dark. Saved in this browser.">
        <ThemeToggle />
      </Section>
      <Section id="organizations" title="Organizations">
        {orgs.length ? (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {orgs.map((o) => (
              <li key={o.id} className="flex items-center justify-between py-2.5 first:pt-0 last:pb-0">
                <Link href={`/${o.slug}`} className="text-sm font-medium text-zinc-900 hover:text-accent-700 hover:underline dark:text-zinc-100 dark:hover:text-accent-300">
                  {o.name}
                </Link>
                <Badge tone={o.role === "owner" ? "accent" : "neutral"}>{o.role}</Badge>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">You are not in any organization yet.</p>
        )}
      </Section>
      <Section id="session" title="Sign out" description="Ends your session in this browser.">
        <form action={signOutAction}>
          <Button type="submit" variant="secondary">
            Sign out
          </Button>
        </form>
      </Section>
    </div>
  );
}
