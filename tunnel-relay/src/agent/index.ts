export { startTunnelAgent, type TunnelAgent, type TunnelAgentOptions, type TunnelAgentEvents, type AgentLogger } from "./start-tunnel-agent";
export { resolveTunnelTarget } from "./tunnel-target";
export { tunnelCommandHelp } from "./tunnel-help";
export { defaultStateFile } from "./state-file";
