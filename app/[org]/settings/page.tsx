import type { Metadata } from "next";
import { call, orgBySlug } from "@/app/_components/data";
import { PageHeader, Section } from "@/app/_components/page-header";
import { canManageInvitations, canManageMembers, canRenameOrg, isOwner } from "@/app/_components/roles";
import { serverApi } from "@/server/trpc/server";
import { InvitationsSection } from "./invitations";
import { MembersTable } from "./members";
import { DeleteOrg, LeaveOrg, OrgNameForm } from "./org-forms";

type Params = Promise<{ org: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const org = await orgBySlug((await params).org);
  return { title: `Settings · ${org.name}` };
}

export default async function OrgSettingsPage({ params }: { params: Params }) {
  const { org: slug } = await params;
  const path = `/${slug}/settings`;
  const org = await orgBySlug(slug);
  const api = await serverApi();
  const [members, invitations] = await Promise.all([
    call(() => api.member.list({ orgId: org.id }), path),
    call(() => api.invitation.list({ orgId: org.id }), path),
  ]);

  return (
    <div className="space-y-8">
      <PageHeader title="Organization settings" description={<>You are {org.role === "owner" || org.role === "admin" ? "an" : "a"} <strong className="font-medium">{org.role}</strong> of {org.name}.</>} />
      <Section id="general" title="General">
        <OrgNameForm orgId={org.id} name={org.name} slug={org.slug} canEdit={canRenameOrg(org.role)} />
      </Section>
      <Section id="members" title="Members" description={`${members.length} ${members.length === 1 ? "person has" : "people have"} access to ${org.name}.`}>
        <MembersTable orgId={org.id} orgName={org.name} members={members} myRole={org.role} canManage={canManageMembers(org.role)} />
      </Section>
      <Section id="invitations" title="Invitations" description="Invite people by email. The link works once and expires after 7 days.">
        <InvitationsSection orgId={org.id} invitations={invitations} canManage={canManageInvitations(org.role)} />
      </Section>
      <Section id="danger" title="Danger zone" danger>
        <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
          <LeaveOrg orgId={org.id} orgName={org.name} soleOwner={org.role === "owner" && members.filter((m) => m.role === "owner").length === 1} />
          {isOwner(org.role) ? <DeleteOrg orgId={org.id} orgName={org.name} /> : null}
        </div>
      </Section>
    </div>
  );
}
