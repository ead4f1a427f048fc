import Link from "next/link";
import { buttonClass } from "@/app/_components/button";
import { EmptyState } from "@/app/_components/empty-state";

/** A project (or page) inside an organization that does not exist, under the organization's top bar. */
export default function OrgNotFound() {
  return (
    <EmptyState
      title="Nothing here"
      icon={
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
          <circle cx="11" cy="11" r="7" />
          <path strokeLinecap="round" d="m20 20-3.5-3.5M8.5 8.5l5 5M13.5 8.5l-5 5" />
        </svg>
      }
      action={
        <Link href="/" className={buttonClass("secondary")}>
          Back to projects
        </Link>
      }
    >
      This project or page does not exist in this organization. It may have been deleted, or the link is mistyped.
    </EmptyState>
  );
}
