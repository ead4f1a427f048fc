/** Launchers whose first non-option argument names the real server (`npx -y @scope/server-x` → `server-x`). */
const LAUNCHERS = new Set(["npx", "node", "bun", "bunx", "deno", "uvx", "uv", "python", "python3", "pipx", "pnpm", "dlx", "run", "tsx", "docker"]);
/** File names that say nothing about the server, so their directory names it instead. */
const GENERIC_FILES = new Set(["index", "main", "server", "cli", "app", "dist", "build", "src", "bin"]);

/** A stable default `--server-id` for a stdio command: `npx -y @modelcontextprotocol/server-everything stdio` → `server-everything`. */
export function serverIdFromCommand(command: string, args: readonly string[]): string {
  const words = [command, ...args];
  let i = 0;
  while (i < words.length - 1 && (LAUNCHERS.has(baseName(words[i]!)) || words[i]!.startsWith("-"))) i++;
  return sanitizeServerId(nameOfPath(words[i]!)) || "mcp-server";
}

/** `https://mcp.example.com/mcp` → `mcp.example.com`; `http://localhost:3000/mcp` → `localhost-3000`. */
export function serverIdFromUrl(url: string): string {
  try {
    const u = new URL(url);
    return sanitizeServerId(u.port ? `${u.hostname}-${u.port}` : u.hostname) || "mcp-server";
  } catch {
    return "mcp-server";
  }
}

export function sanitizeServerId(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 200);
}

function baseName(word: string): string {
  const parts = word.split(/[\\/]/);
  return (parts[parts.length - 1] ?? word).replace(/\.(exe|cmd)$/i, "");
}

function nameOfPath(word: string): string {
  // Package specs: drop a trailing @version and the @scope/.
  const spec = word.replace(/(.)@[^/@]*$/, "$1");
  const parts = spec.split(/[\\/]/).filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) {
    const name = parts[i]!.replace(/\.(m?[jt]s|cjs|py|exe)$/i, "");
    if (!GENERIC_FILES.has(name.toLowerCase()) && !name.startsWith("@")) return name;
  }
  return parts[0] ?? word;
}
