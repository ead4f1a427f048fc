import { parseArgs, type ParseArgsConfig } from "node:util";
import type { CliIo } from "./cli-io";
import type { CliDeps, CommandDefinition, OptionValues } from "./command";
import { classifyError, usageError } from "./cli-error";
import { EXIT } from "./exit-codes";
import { commandHelp, globalHelp, GLOBAL_OPTIONS, usageLine } from "./help-text";
import { COMMANDS, INFERRED_PROXY_COMMAND } from "./commands/index";
import { TAPLINE_VERSION } from "./version";
import { loadRunProxy } from "./load-run-proxy";

const DEFAULT_DEPS: CliDeps = { loadRunProxy };

/**
 * The whole CLI as a function: parses `argv` (without `node` and the script), runs one command,
 * and returns the exit code. Never calls `process.exit` and never writes outside `io`, so tests run it in-process.
 */
export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps = DEFAULT_DEPS): Promise<number> {
  const verbose = argv.includes("--verbose");
  const first = argv[0];
  if (first === undefined) {
    io.stderr.write(globalHelp(COMMANDS, TAPLINE_VERSION));
    return EXIT.usage;
  }
  if (first === "--version" || first === "-v") {
    io.stdout.write(`${TAPLINE_VERSION}\n`);
    return EXIT.ok;
  }
  if (first === "--help" || first === "-h") {
    io.stdout.write(globalHelp(COMMANDS, TAPLINE_VERSION));
    return EXIT.ok;
  }
  if (first === "help") return printHelpFor(argv[1], io);

  // `tapline --command "…"` with no mode: MCPulse Proxy style, the mode follows from the upstream.
  const command = first.startsWith("-") ? INFERRED_PROXY_COMMAND : findCommand(first);
  const rest = first.startsWith("-") ? argv : argv.slice(1);
  if (!command) return reportError(usageError(`unknown command "${first}"`), io, verbose, undefined);

  try {
    const { values, positionals } = parseOptions(command, rest);
    if (values.help === true) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    if (positionals.length > 0 && !command.allowPositionals) {
      throw usageError(`unexpected argument "${positionals[0]}"`);
    }
    return await command.handler({ values, positionals, io, deps, verbose });
  } catch (e) {
    return reportError(e, io, verbose, command);
  }
}

function findCommand(name: string): CommandDefinition | undefined {
  return COMMANDS.find((c) => c.metadata.name === name);
}

function printHelpFor(name: string | undefined, io: CliIo): number {
  if (name === undefined) {
    io.stdout.write(globalHelp(COMMANDS, TAPLINE_VERSION));
    return EXIT.ok;
  }
  const command = findCommand(name);
  if (!command) return reportError(usageError(`unknown command "${name}"`), io, false, undefined);
  io.stdout.write(commandHelp(command));
  return EXIT.ok;
}

function parseOptions(command: CommandDefinition, args: readonly string[]): { values: OptionValues; positionals: string[] } {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, spec] of Object.entries({ ...command.options, ...GLOBAL_OPTIONS })) {
    options[name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type };
  }
  const { values, positionals } = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  return { values: values as OptionValues, positionals };
}

function reportError(e: unknown, io: CliIo, verbose: boolean, command: CommandDefinition | undefined): number {
  const report = classifyError(e);
  io.stderr.write(`tapline: ${report.message}\n`);
  if (report.showUsage) {
    io.stderr.write(command ? `${usageLine(command)}\nRun 'tapline ${command.metadata.name} --help' for details.\n` : "Run 'tapline --help' for the list of commands.\n");
  }
  if (verbose && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
  return report.exitCode;
}
