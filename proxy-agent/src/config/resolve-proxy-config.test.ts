import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveProxyConfig, type ProxyMode } from "./resolve-proxy-config";
import { settingsFromEnv, settingsFromFlags, type FlagValues } from "./proxy-settings";
import { ConfigError } from "./config-error";
import { splitCommandLine } from "./command-line";
import { serverIdFromCommand, serverIdFromUrl } from "./server-id";
import { parseListenAddress } from "./listen-address";
import { parseHeaderList } from "./headers";
import { parseDuration } from "./duration";

const CWD = "/work/project";

function resolve(mode: ProxyMode, flags: FlagValues, env: NodeJS.ProcessEnv = {}, positionals: string[] = []) {
  return resolveProxyConfig({ mode, flags: settingsFromFlags(flags, positionals), env: { HOME: "/home/u", ...env }, cwd: CWD }, settingsFromEnv(env));
}

function configFile(t: { after(fn: () => void): void }, servers: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "tapline-config-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "claude_desktop_config.json");
  writeFileSync(path, JSON.stringify({ mcpServers: servers }));
  return path;
}

function configErrorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.code;
  }
  assert.fail("expected a ConfigError");
}

test("http: defaults to 127.0.0.1:8787, a server id from the URL, the default db and 30d retention", () => {
  const { proxy, store } = resolve("http", { "remote-url": "https://mcp.example.com/mcp?key=1" });
  assert.deepEqual(proxy.upstream, { kind: "http", remoteUrl: "https://mcp.example.com/mcp?key=1" });
  assert.deepEqual(proxy.listen, { host: "127.0.0.1", port: 8787 });
  assert.equal(proxy.serverId, "mcp.example.com");
  assert.equal(proxy.capturePayloads, false);
  assert.equal(proxy.cloud, undefined);
  assert.deepEqual(store, { dbPath: "/home/u/.tapline/tapline.db", retentionMs: 30 * 86_400_000 });
});

test("stdio: the command is split like a shell would, env passed through, no listener unless asked", () => {
  const { proxy } = resolve("stdio", { command: `npx -y "@modelcontextprotocol/server-everything" 'two words'` }, { PATH: "/bin" });
  assert.equal(proxy.upstream.kind, "stdio");
  if (proxy.upstream.kind !== "stdio") return;
  assert.equal(proxy.upstream.command, "npx");
  assert.deepEqual(proxy.upstream.args, ["-y", "@modelcontextprotocol/server-everything", "two words"]);
  assert.equal(proxy.upstream.env.PATH, "/bin");
  assert.equal(proxy.listen, undefined);
  assert.equal(proxy.serverId, "server-everything");
  assert.deepEqual(resolve("stdio", { command: "node s.js", listen: ":9000" }).proxy.listen, { host: "127.0.0.1", port: 9000 });
  const afterDashes = resolve("stdio", {}, {}, ["node", "build/index.js"]).proxy;
  assert.deepEqual(afterDashes.upstream.kind === "stdio" && [afterDashes.upstream.command, afterDashes.upstream.args], ["node", ["build/index.js"]]);
  assert.equal(afterDashes.serverId, "build");
});

test("MCPulse aliases: --auth-token, --mcpulse-url (bare host:port) and --mcpulse-api-key", () => {
  const { proxy } = resolve("http", { "remote-url": "http://localhost:3000/mcp", "auth-token": "t0k", "mcpulse-url": "localhost:50051", "mcpulse-api-key": "k" });
  assert.equal(proxy.bearerToken, "t0k");
  assert.deepEqual(proxy.cloud, { url: "http://localhost:50051", apiKey: "k" });
  assert.equal(proxy.serverId, "localhost-3000");
});

test("environment: TAPLINE_PROXY_* and MCPULSE_PROXY_* set every flag; TAPLINE_* beats MCPULSE_*; flags beat both", () => {
  const env = {
    MCPULSE_PROXY_REMOTE_URL: "http://a.example/mcp",
    MCPULSE_PROXY_SERVER_ID: "from-mcpulse",
    TAPLINE_PROXY_SERVER_ID: "from-tapline",
    MCPULSE_PROXY_BEARER_TOKEN: "env-token",
    MCPULSE_PROXY_HEADERS: "X-A:1,X-B:2",
    TAPLINE_PROXY_LISTEN: "0.0.0.0:9100",
    MCPULSE_SERVER: "https://cloud.example",
    MCPULSE_API_KEY: "mk",
    TAPLINE_PROXY_CAPTURE_PAYLOADS: "true",
  };
  const fromEnv = resolve("http", {}, env).proxy;
  assert.equal(fromEnv.upstream.kind === "http" && fromEnv.upstream.remoteUrl, "http://a.example/mcp");
  assert.equal(fromEnv.serverId, "from-tapline");
  assert.equal(fromEnv.bearerToken, "env-token");
  assert.deepEqual(fromEnv.headers, { "X-A": "1", "X-B": "2" });
  assert.deepEqual(fromEnv.listen, { host: "0.0.0.0", port: 9100 });
  assert.deepEqual(fromEnv.cloud, { url: "https://cloud.example", apiKey: "mk" });
  assert.equal(fromEnv.capturePayloads, true);
  const flagged = resolve("http", { "remote-url": "http://b.example/mcp", "server-id": "flag", "bearer-token": "flag-token", "cloud-url": "https://c.example", "api-key": "fk" }, { ...env, TAPLINE_URL: "https://t.example" }).proxy;
  assert.equal(flagged.upstream.kind === "http" && flagged.upstream.remoteUrl, "http://b.example/mcp");
  assert.deepEqual([flagged.serverId, flagged.bearerToken, flagged.cloud?.url, flagged.cloud?.apiKey], ["flag", "flag-token", "https://c.example", "fk"]);
  assert.equal(resolve("http", {}, { ...env, TAPLINE_URL: "https://t.example" }).proxy.cloud?.url, "https://t.example");
});

test("a subcommand reads only the upstream that fits it, so env may hold both", () => {
  const env = { TAPLINE_PROXY_COMMAND: "node s.js", TAPLINE_PROXY_REMOTE_URL: "http://x.example/mcp" };
  assert.equal(resolve("stdio", {}, env).proxy.upstream.kind, "stdio");
  assert.equal(resolve("http", {}, env).proxy.upstream.kind, "http");
  assert.equal(configErrorCode(() => resolve(undefined, {}, env)), "conflicting_upstream");
  assert.equal(resolve("http", { "remote-url": "http://y.example/mcp" }, { TAPLINE_PROXY_COMMAND: "node s.js" }).proxy.upstream.kind, "http");
});

test("--config/--server: stdio entry with its env, URL entries (http and sse) with headers; flags override", (t) => {
  const path = configFile(t, {
    github: { command: "npx", args: ["-y", "@modelcontextprotocol/server-github"], env: { GITHUB_TOKEN: "g" } },
    remote: { url: "https://r.example/mcp", headers: { "X-Key": "1" } },
    legacy: { type: "sse", url: "https://l.example/sse" },
  });
  const gh = resolve(undefined, { config: path, server: "github" }, { PATH: "/bin" }).proxy;
  assert.equal(gh.serverId, "github");
  assert.ok(gh.upstream.kind === "stdio");
  assert.deepEqual(gh.upstream.args, ["-y", "@modelcontextprotocol/server-github"]);
  assert.deepEqual([gh.upstream.env.GITHUB_TOKEN, gh.upstream.env.PATH], ["g", "/bin"]);
  assert.equal(gh.listen, undefined);

  const remote = resolve(undefined, { config: path, server: "remote", headers: "X-Extra:2" }).proxy;
  assert.deepEqual(remote.upstream, { kind: "http", remoteUrl: "https://r.example/mcp" });
  assert.deepEqual(remote.headers, { "X-Key": "1", "X-Extra": "2" });
  assert.deepEqual(resolve(undefined, { config: path, server: "legacy" }).proxy.upstream, { kind: "sse", remoteUrl: "https://l.example/sse" });

  const overridden = resolve("stdio", { config: path, server: "github", command: "node local.js", "server-id": "gh-dev" }).proxy;
  assert.ok(overridden.upstream.kind === "stdio");
  assert.deepEqual([overridden.upstream.command, overridden.upstream.env.GITHUB_TOKEN, overridden.serverId], ["node", "g", "gh-dev"]);
  assert.equal(resolve(undefined, { config: path, server: "github" }, { TAPLINE_PROXY_SERVER_ID: "env-id" }).proxy.serverId, "env-id");

  assert.equal(configErrorCode(() => resolve("http", { config: path, server: "github" })), "conflicting_upstream");
  assert.equal(configErrorCode(() => resolve("stdio", { config: path, server: "remote" })), "conflicting_upstream");
  assert.equal(configErrorCode(() => resolve(undefined, { config: path, server: "nope" })), "config_server_unknown");
  assert.equal(configErrorCode(() => resolve(undefined, { config: path })), "bad_flag");
  assert.equal(configErrorCode(() => resolve(undefined, { config: join(path, "..", "missing.json"), server: "x" })), "config_file_unreadable");
});

test("bad values are ConfigErrors with a message naming the flag", () => {
  const cases: [ProxyMode, FlagValues, string][] = [
    ["http", {}, "missing_upstream"],
    ["http", { "remote-url": "not a url" }, "bad_value"],
    ["http", { "remote-url": "ftp://x/y" }, "bad_value"],
    ["http", { "remote-url": "http://x/", port: "99999" }, "bad_value"],
    ["http", { "remote-url": "http://x/", listen: ":1", port: "2" }, "bad_flag"],
    ["http", { "remote-url": "http://x/", headers: "no-colon" }, "bad_value"],
    ["http", { "remote-url": "http://x/", retention: "forever-ish" }, "bad_value"],
    ["http", { "remote-url": "http://x/", "cloud-url": "ftp://c" }, "bad_value"],
    ["http", { "remote-url": "http://x/", "server-id": "has space" }, "bad_value"],
    ["stdio", { command: "node 'unterminated" }, "bad_value"],
    [undefined, { server: "x", command: "node a" }, "bad_flag"],
  ];
  for (const [mode, flags, code] of cases) assert.equal(configErrorCode(() => resolve(mode, flags)), code, JSON.stringify(flags));
});

test("small parsers: command lines, server ids, listen addresses, headers, durations", () => {
  assert.deepEqual(splitCommandLine(`a "b \\"c\\"" d\\ e ''`), ["a", 'b "c"', "d e", ""]);
  assert.equal(serverIdFromCommand("uvx", ["mcp-server-fetch"]), "mcp-server-fetch");
  assert.equal(serverIdFromCommand("node", ["/srv/weather/dist/index.js"]), "weather");
  assert.equal(serverIdFromCommand("npx", ["-y", "@acme/mcp@1.2.3"]), "mcp");
  assert.equal(serverIdFromCommand("/usr/local/bin/my-server", []), "my-server");
  assert.equal(serverIdFromUrl("https://mcp.Example.com:8443/x"), "mcp.example.com-8443");
  assert.deepEqual(parseListenAddress("[::1]:80"), { host: "::1", port: 80 });
  assert.deepEqual(parseListenAddress("9000"), { host: "127.0.0.1", port: 9000 });
  assert.deepEqual(parseHeaderList("Authorization:Basic a:b, X-Y : z"), { Authorization: "Basic a:b", "X-Y": "z" });
  assert.deepEqual(["500ms", "30s", "5m", "1h", "7d", "2w", "250"].map((d) => parseDuration(d, "x")), [500, 30_000, 300_000, 3_600_000, 604_800_000, 1_209_600_000, 250]);
});

test("a header value or bearer token with a line break is refused before it could split an upstream request", (t) => {
  const path = configFile(t, { remote: { url: "https://r.example/mcp", headers: { "X-Key": "1\r\nX-Injected: yes" } } });
  assert.throws(() => resolve(undefined, { config: path, server: "remote" }), (e: Error) => e instanceof ConfigError && /X-Key contains a line break/.test(e.message));
  assert.throws(() => resolve("http", { "remote-url": "https://r.example/mcp", "bearer-token": "tok\n" }), (e: Error) => e instanceof ConfigError && /bearer token/.test(e.message));
  assert.throws(() => resolve("http", { "remote-url": "https://r.example/mcp" }, { TAPLINE_PROXY_HEADERS: "X-A:1\u0000" }), ConfigError);
  assert.equal(resolve("http", { "remote-url": "https://r.example/mcp", headers: "X-A:a\tb" }).proxy.headers["X-A"], "a\tb");
});
