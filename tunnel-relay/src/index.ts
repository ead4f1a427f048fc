export * from "./relay/index";
export * from "./agent/index";
export { TunnelError } from "./protocol/errors";
