import type { CommandDefinition, OptionSpecs } from "./command";

export const GLOBAL_OPTIONS: OptionSpecs = {
  help: { type: "boolean", short: "h", description: "Show help for the command" },
  verbose: { type: "boolean", description: "Debug logs, and stack traces on errors" },
};

export function usageLine(command: CommandDefinition): string {
  return `Usage: tapline ${command.metadata.name} ${command.metadata.usage}`.trimEnd();
}

/** `tapline CMD --help`. */
export function commandHelp(command: CommandDefinition): string {
  const { metadata } = command;
  const lines = [usageLine(command), "", metadata.summary];
  if (metadata.description) lines.push("", metadata.description);
  lines.push("", "Options:", ...optionLines({ ...command.options, ...GLOBAL_OPTIONS }));
  if (metadata.examples?.length) lines.push("", "Examples:", ...metadata.examples.map((e) => `  ${e}`));
  return lines.join("\n") + "\n";
}

function optionLines(options: OptionSpecs): string[] {
  const entries = Object.entries(options).filter(([, o]) => !o.hidden);
  const labels = entries.map(([name, o]) => {
    const short = o.short ? `-${o.short}, ` : "    ";
    const value = o.type === "string" ? ` <${o.valueName ?? "value"}>` : "";
    return `  ${short}--${name}${value}`;
  });
  const width = Math.max(...labels.map((l) => l.length));
  return entries.map(([, o], i) => `${labels[i]!.padEnd(width)}  ${o.description}`);
}

const GROUP_TITLES = { proxy: "Proxy (record an MCP server's traffic):", analytics: "Analytics (read the local store):", setup: "Setup:" } as const;

/** `tapline --help`. */
export function globalHelp(commands: readonly CommandDefinition[], version: string): string {
  const visible = commands.filter((c) => !c.metadata.hidden);
  const width = Math.max(...visible.map((c) => c.metadata.name.length));
  const lines = [`tapline ${version}: an observability proxy for MCP servers`, "", "Usage: tapline <command> [options]"];
  for (const group of ["proxy", "analytics", "setup"] as const) {
    lines.push("", GROUP_TITLES[group]);
    for (const c of visible.filter((x) => x.metadata.group === group)) lines.push(`  ${c.metadata.name.padEnd(width)}  ${c.metadata.summary}`);
  }
  lines.push(
    "",
    "Global options: --help, --version, --verbose",
    "Run 'tapline help <command>' or 'tapline <command> --help' for a command's options.",
    "Exit codes: 0 ok, 1 failure, 2 usage error, 3 no database yet (run the proxy first).",
  );
  return lines.join("\n") + "\n";
}
