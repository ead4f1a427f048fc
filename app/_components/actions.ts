"use server";

import { signOut } from "@/server/auth/auth";
import { SIGN_IN_PATH } from "./data";

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: SIGN_IN_PATH });
}
