import type { CommandDefinition } from "../command";
import { createProxyCommand } from "./proxy-command";
import { httpCommand } from "./http";
import { sseCommand } from "./sse";
import { stdioCommand } from "./stdio";
import { statsCommand } from "./stats";
import { slowCommand } from "./slow";
import { errorsCommand } from "./errors";
import { sessionsCommand } from "./sessions";
import { sessionCommand } from "./session";
import { toolsCommand } from "./tools";
import { statusCommand } from "./status";
import { initCommand } from "./init";
import { tunnelCommand } from "./tunnel";

/** Every command, in the order `tapline --help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [
  httpCommand,
  sseCommand,
  stdioCommand,
  statsCommand,
  slowCommand,
  errorsCommand,
  sessionsCommand,
  sessionCommand,
  toolsCommand,
  statusCommand,
  tunnelCommand,
  initCommand,
];

/** `tapline --command …` with no mode (MCPulse Proxy style): the upstream decides stdio or http. */
export const INFERRED_PROXY_COMMAND = createProxyCommand(undefined, {
  name: "proxy",
  group: "proxy",
  hidden: true,
  summary: "Proxy the server named by --command, --remote-url or --config/--server",
  usage: "[--command <cmd> | --remote-url <url> | --config <file> --server <name>] [options]",
});
