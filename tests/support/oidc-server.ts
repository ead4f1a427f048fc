/**
 * A real OpenID Connect provider on loopback for tests (oidc-provider@9), with development
 * login/consent pages a browser or a test can drive:
 *
 *   const idp = await startOidcServer({ appOrigin: "http://localhost:3123" });
 *   // start the cloud with idp.env (AUTH_OIDC_ISSUER / _ID / _SECRET / _NAME)
 *   // sign in with "OIDC": on the IdP's page enter an account id from idp.accounts (e.g. "alice")
 *   // and any password, then "Continue" on the consent page.
 *   await idp.close();
 *
 * The client's redirect URI is `${appOrigin}/api/auth/callback/oidc`. Browse the app on the
 * same host as appOrigin (`localhost`, not 127.0.0.1): Auth.js builds the redirect URI from it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";

export interface OidcAccount {
  id: string;
  email: string;
  name: string;
  emailVerified?: boolean;
}

export interface OidcServerOptions {
  /** Origin of the Tapline app, e.g. http://localhost:3123 (no trailing slash). */
  appOrigin: string;
  clientId?: string;
  clientSecret?: string;
  accounts?: OidcAccount[];
  /** Port for the issuer; 0 (default) picks a free one. */
  port?: number;
}

export interface OidcServer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  accounts: OidcAccount[];
  /** The cloud's environment for this provider. */
  env: { AUTH_OIDC_ISSUER: string; AUTH_OIDC_ID: string; AUTH_OIDC_SECRET: string; AUTH_OIDC_NAME: string };
  close(): Promise<void>;
}

export const DEFAULT_OIDC_ACCOUNTS: OidcAccount[] = [
  { id: "alice", email: "alice@example.com", name: "Alice Example" },
  { id: "bob", email: "bob@example.com", name: "Bob Example" },
];

export async function startOidcServer(options: OidcServerOptions): Promise<OidcServer> {
  const accounts = options.accounts ?? DEFAULT_OIDC_ACCOUNTS;
  const clientId = options.clientId ?? "tapline-test";
  const clientSecret = options.clientSecret ?? "tapline-test-secret-0123456789abcdef";
  const redirectUri = `${options.appOrigin.replace(/\/$/, "")}/api/auth/callback/oidc`;

  // Listen first so the issuer URL carries the real port.
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    async findAccount(_ctx, id) {
      const account = accounts.find((a) => a.id === id);
      if (!account) return undefined;
      return {
        accountId: account.id,
        async claims() {
          return { sub: account.id, email: account.email, email_verified: account.emailVerified ?? true, name: account.name };
        },
      };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Put email and name in the id_token itself (Auth.js reads the profile from it).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ["tapline-test-oidc-cookie-key"] },
    ttl: { Session: 3600, Interaction: 3600, Grant: 3600, AccessToken: 3600, IdToken: 3600, AuthorizationCode: 600 },
  };
  const provider = new Provider(issuer, configuration);
  // Loopback HTTP on purpose: silence the "insecure" warnings of a production check.
  provider.proxy = true;
  server.on("request", provider.callback());

  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri,
    accounts,
    env: { AUTH_OIDC_ISSUER: issuer, AUTH_OIDC_ID: clientId, AUTH_OIDC_SECRET: clientSecret, AUTH_OIDC_NAME: "Test SSO" },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
