#!/usr/bin/env node
// Bin entry of the tunnel relay (`npm start` runs it beside the cloud). See --help and docs/tunnel.md.
import { runRelayCli } from "./relay/run-relay-cli";

const outcome = await runRelayCli(process.argv.slice(2), process.env);
if (typeof outcome === "number") process.exit(outcome);
