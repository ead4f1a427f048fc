import packageJson from "../../package.json" with { type: "json" };

/** From package.json; esbuild inlines it into the bundle. */
export const TAPLINE_VERSION: string = packageJson.version;
