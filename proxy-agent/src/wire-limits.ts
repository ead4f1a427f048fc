/**
 * Field limits of the wire format (see wire.ts), apart from its zod schemas so that the proxy's
 * forwarding path can truncate to them without loading zod.
 */
export const MAX_ERROR_MESSAGE_CHARS = 1024;
export const MAX_NAME_CHARS = 512;
