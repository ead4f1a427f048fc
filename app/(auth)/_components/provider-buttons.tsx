import type { SignInMethod } from "@/server/auth/providers";
import { providerSignInAction } from "../actions";
import { secondaryButtonClass } from "./ui";

/** One button per configured OAuth/OIDC provider (GitHub, Google, the generic OIDC one). */
export function ProviderButtons({ methods, callbackUrl, verb }: { methods: SignInMethod[]; callbackUrl: string; verb: string }) {
  const providers = methods.filter((m) => m.type === "oauth" || m.type === "oidc");
  if (providers.length === 0) return null;
  return (
    <div className="space-y-2">
      {providers.map((m) => (
        <form key={m.id} action={providerSignInAction}>
          <input type="hidden" name="provider" value={m.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <button type="submit" className={secondaryButtonClass}>
            {verb} with {m.name}
          </button>
        </form>
      ))}
    </div>
  );
}
