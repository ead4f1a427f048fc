import type { ReactNode } from "react";
import { projectBySlug } from "@/app/_components/data";

/**
 * Resolves the project before anything streams, so an unknown project slug answers 404
 * (the lookup is cached for the request: the pages below reuse it).
 */
export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string; project: string }> }) {
  const { org, project } = await params;
  await projectBySlug(org, project);
  return children;
}
