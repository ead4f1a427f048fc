/**
 * tRPC for React Server Components (no HTTP): `const api = await serverApi(); await api.org.list()`.
 */
import { cache } from "react";
import { createContext } from "./context";
import { createCaller } from "./root";

const getContext = cache(() => createContext());

export async function serverApi() {
  return createCaller(await getContext());
}
