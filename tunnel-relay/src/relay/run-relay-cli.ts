import { parseRelayCommandLine, relayHelp, RelayCommandLineError } from "./relay-command-line";
import { KeysFileAuthorizer, KeysFileError, NoKeysAuthorizer } from "./keys-file-authorizer";
import { CloudAuthorizer } from "./cloud-authorizer";
import { RedisDirectory } from "./redis-directory";
import { consoleLogger } from "./relay-logger";
import { startRelay, type RunningRelay } from "./start-relay";

/** The relay process: parse options, start, stop cleanly on SIGTERM/SIGINT. Returns an exit code on failure. */
export async function runRelayCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number | RunningRelay> {
  let config;
  try {
    config = parseRelayCommandLine(argv, env);
  } catch (error) {
    if (error instanceof RelayCommandLineError) {
      process.stderr.write(`tunnel relay: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (config === "help") {
    process.stdout.write(relayHelp() + "\n");
    return 0;
  }
  const log = consoleLogger(config.logLevel);
  let authorizer;
  const cloud = config.cloudUrl ? new CloudAuthorizer(config.cloudUrl) : undefined;
  try {
    authorizer = cloud
      ? cloud
      : config.keysFile
        ? new KeysFileAuthorizer(config.keysFile)
        : new NoKeysAuthorizer();
  } catch (error) {
    if (error instanceof KeysFileError) {
      process.stderr.write(`tunnel relay: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (!config.keysFile && !config.cloudUrl) log("warn", "neither --cloud-url nor --keys-file given: every agent will be refused with 401 until one is configured");
  const directory = config.redisUrl ? new RedisDirectory({ redisUrl: config.redisUrl, instanceUrl: config.instanceUrl!, keyPrefix: config.redisPrefix, log }) : undefined;
  const relay = await startRelay({
    port: config.port,
    host: config.host,
    baseDomain: config.baseDomain,
    publicUrl: config.publicUrl,
    authorizer,
    // With a cloud, per-tunnel figures go to its dashboard, sent with each agent's own key.
    usageSink: cloud,
    limits: config.limits,
    directory,
    log,
  });
  // SIGTERM (deploys, orchestrators) drains in-flight requests first; SIGINT (Ctrl-C) stops at once.
  const stop = (signal: string, drainMs: number) => {
    log("info", "stopping", { signal, drainMs });
    void relay.close({ drainMs }).then(() => process.exit(0));
    setTimeout(() => process.exit(0), drainMs + 5000).unref();
  };
  process.once("SIGTERM", () => stop("SIGTERM", config.drainMs));
  process.once("SIGINT", () => stop("SIGINT", 0));
  return relay;
}
