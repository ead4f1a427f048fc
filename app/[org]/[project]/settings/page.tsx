import type { Metadata } from "next";
import { call, projectBySlug, requireUser } from "@/app/_components/data";
import { PageHeader, Section } from "@/app/_components/page-header";
import { canCreateKeys, canManageProjects, canRevokeAnyKey } from "@/app/_components/roles";
import { serverApi } from "@/server/trpc/server";
import { ApiKeysSection } from "./api-keys";
import { TunnelsSection } from "./tunnels";
import { DeleteProject, ProjectGeneralForm } from "./project-forms";

type Params = Promise<{ org: string; project: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { org, project } = await params;
  const found = await projectBySlug(org, project);
  return { title: `Settings · ${found.project.name}` };
}

export default async function ProjectSettingsPage({ params }: { params: Params }) {
  const { org: orgSlug, project: projectSlug } = await params;
  const path = `/${orgSlug}/${projectSlug}/settings`;
  const user = await requireUser(path);
  const { org, project } = await projectBySlug(orgSlug, projectSlug);
  const keys = await call(async () => (await serverApi()).apiKey.list({ projectId: project.id }), path);
  const tunnels = await call(async () => (await serverApi()).tunnel.list({ projectId: project.id }), path);
  const manage = canManageProjects(org.role);

  return (
    <div className="space-y-8">
      <PageHeader title="Project settings" description={`${project.name} in ${org.name}`} />
      <Section id="general" title="General" description="The name shown across Tapline, and the environment label.">
        <ProjectGeneralForm projectId={project.id} name={project.name} environment={project.environment} canEdit={manage} />
      </Section>
      <Section id="api-keys" title="API keys" description="The agent authenticates with a key. Each key is shown once, when it is created.">
        <ApiKeysSection
          projectId={project.id}
          keys={keys}
          userId={user.id}
          canCreate={canCreateKeys(org.role)}
          canRevokeAny={canRevokeAnyKey(org.role)}
        />
      </Section>
      <Section id="tunnels" title="Tunnels" description="Public URLs for local servers, through the Tapline relay (tapline tunnel).">
        <TunnelsSection projectId={project.id} tunnels={tunnels} canManage={manage} />
      </Section>
      {manage ? (
        <Section id="danger" title="Danger zone" danger description="Deleting a project removes its keys and recorded calls. Agents using its keys stop shipping at once.">
          <DeleteProject projectId={project.id} projectName={project.name} orgSlug={org.slug} />
        </Section>
      ) : null}
    </div>
  );
}
