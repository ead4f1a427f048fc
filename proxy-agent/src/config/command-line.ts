import { ConfigError } from "./config-error";

/**
 * Splits `--command "node server.js --flag 'two words'"` the way a POSIX shell would for
 * quoting and backslashes (no variables, globs or operators: the command is run directly, not by a shell).
 */
export function splitCommandLine(text: string, what = "--command"): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new ConfigError("bad_value", `${what}: unterminated ${quote} quote`);
  if (inWord) words.push(word);
  if (words.length === 0) throw new ConfigError("bad_value", `${what}: empty command`);
  return words;
}

/** The inverse, for printing a command back (init snippet, logs): quotes only words that need it. */
export function joinCommandLine(words: readonly string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(" ");
}
