"use client";

import { useState } from "react";
import { Button } from "./button";
import { CreateOrgDialog } from "./create-org-dialog";

export function CreateOrgButton({ label = "Create organization" }: { label?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>{label}</Button>
      <CreateOrgDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
