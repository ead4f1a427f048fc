import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The agent's wire schemas are TypeScript source in the workspace package: one definition, two users.
  transpilePackages: ["tapline", "@tapline/tunnel-relay"],
  // Native or WebAssembly packages used only on the server stay outside the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "ioredis", "nodemailer"],
  poweredByHeader: false,
  // The build type-checks the app only; tests and scripts are checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.app.json" },
  typedRoutes: false,
};

export default nextConfig;
