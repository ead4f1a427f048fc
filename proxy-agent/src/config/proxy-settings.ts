/**
 * The proxy's settings as they arrive from one source (flags, or environment), before merging.
 * Every setting has one flag and the env names `TAPLINE_PROXY_<NAME>` then `MCPULSE_PROXY_<NAME>`,
 * so a deployment written for MCPulse Proxy keeps working.
 */
export interface ProxySettings {
  serverId?: string;
  command?: string;
  /** Words after `--` (`tapline stdio -- node server.js`): the command, already split. */
  commandWords?: string[];
  remoteUrl?: string;
  bearerToken?: string;
  headers?: string;
  listen?: string;
  port?: string;
  host?: string;
  config?: string;
  server?: string;
  capturePayloads?: boolean;
  redactKeys?: string;
  db?: string;
  retention?: string;
  cloudUrl?: string;
  apiKey?: string;
}

type StringSetting = Exclude<keyof ProxySettings, "capturePayloads" | "commandWords">;

/** Setting → its flag names (first is canonical, the rest are MCPulse-compatible aliases). */
export const SETTING_FLAGS: Record<StringSetting | "capturePayloads", readonly string[]> = {
  serverId: ["server-id"],
  command: ["command"],
  remoteUrl: ["remote-url"],
  bearerToken: ["bearer-token", "auth-token"],
  headers: ["headers"],
  listen: ["listen"],
  port: ["port"],
  host: ["host"],
  config: ["config"],
  server: ["server"],
  capturePayloads: ["capture-payloads"],
  redactKeys: ["redact-keys"],
  db: ["db"],
  retention: ["retention"],
  cloudUrl: ["cloud-url", "mcpulse-url"],
  apiKey: ["api-key", "mcpulse-api-key"],
};

/** Env names besides the generic `TAPLINE_PROXY_*` / `MCPULSE_PROXY_*` ones, in precedence order. */
const EXTRA_ENV: Partial<Record<keyof typeof SETTING_FLAGS, readonly string[]>> = {
  bearerToken: ["TAPLINE_PROXY_AUTH_TOKEN", "MCPULSE_PROXY_AUTH_TOKEN"],
  db: ["TAPLINE_DB"],
  cloudUrl: ["TAPLINE_URL", "MCPULSE_URL", "MCPULSE_SERVER"],
  apiKey: ["TAPLINE_API_KEY", "MCPULSE_API_KEY"],
};

export type FlagValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export function settingsFromFlags(values: FlagValues, positionals: readonly string[]): ProxySettings {
  const settings: ProxySettings = {};
  for (const [key, flags] of Object.entries(SETTING_FLAGS) as [keyof typeof SETTING_FLAGS, readonly string[]][]) {
    for (const flag of flags) {
      const v = values[flag];
      if (v === undefined) continue;
      if (key === "capturePayloads") settings.capturePayloads = v === true;
      else if (typeof v === "string") settings[key] = v;
      break;
    }
  }
  if (positionals.length > 0) settings.commandWords = [...positionals];
  return settings;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv): ProxySettings {
  const settings: ProxySettings = {};
  for (const key of Object.keys(SETTING_FLAGS) as (keyof typeof SETTING_FLAGS)[]) {
    const snake = key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
    const names = [`TAPLINE_PROXY_${snake}`, `MCPULSE_PROXY_${snake}`, ...(EXTRA_ENV[key] ?? [])];
    const name = names.find((n) => env[n] !== undefined && env[n] !== "");
    if (name === undefined) continue;
    const value = env[name]!;
    if (key === "capturePayloads") settings.capturePayloads = /^(1|true|yes|on)$/i.test(value);
    else settings[key] = value;
  }
  return settings;
}
