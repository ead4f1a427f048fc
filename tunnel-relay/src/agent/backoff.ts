/** Full-jitter exponential backoff: spreads a fleet of agents reconnecting after a relay restart. */
export function reconnectDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(initialMs / 2 + random() * (ceiling - initialMs / 2));
}
