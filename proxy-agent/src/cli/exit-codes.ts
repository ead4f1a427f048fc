/** Process exit codes, stable for scripts. */
export const EXIT = {
  ok: 0,
  /** Something failed at run time (upstream unreachable, unreadable database, …). */
  failure: 1,
  /** Bad command line, environment or config file. */
  usage: 2,
  /** The local database does not exist yet: the proxy has not recorded anything. */
  noDatabase: 3,
} as const;
