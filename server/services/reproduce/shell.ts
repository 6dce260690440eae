/**
 * Writing values into a POSIX shell script so that none of them can break out of its place: every
 * value the script runs with is one single-quoted word, every value in a comment is one JSON line,
 * and file contents go into here-documents whose delimiter the contents never contain.
 */

const BARE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One shell word holding exactly `value` (quotes, `$`, backticks and newlines included). */
export function shellQuote(value: string): string {
  if (BARE_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A value to show after `#`: JSON escapes line breaks and control characters, so the value stays on
 * the comment's line instead of becoming a line of the script.
 */
export function commentValue(value: string): string {
  return JSON.stringify(value);
}

/** A comment line; callers pass their own words, and values through `commentValue`. */
export function comment(text: string): string {
  return `# ${text.replace(/[\r\n]+/g, " ")}`;
}

/**
 * `command <<'DELIMITER'` followed by `content` verbatim: a quoted delimiter turns off every
 * expansion, and the delimiter is chosen so that no line of the content equals it.
 */
export function hereDocument(command: string, content: string, delimiter = "TALLY_EOF"): string {
  const lines = new Set(content.split("\n"));
  let chosen = delimiter;
  for (let suffix = 1; lines.has(chosen); suffix++) chosen = `${delimiter}_${suffix}`;
  const body = content.endsWith("\n") ? content : `${content}\n`;
  return `${command} <<'${chosen}'\n${body}${chosen}`;
}

/**
 * Whether a recorded command line is only literal words: bare words of safe characters,
 * single-quoted text, backslash escapes of one character and double-quoted text without `$`,
 * backticks or backslashes, separated by blanks. Anything else (`;`, `|`, `$(...)`, globs,
 * redirections, a newline outside quotes...) would make the script run more than the recorded
 * command, so such a line is shown, not run. The SDK only writes literal words.
 */
export function isLiteralCommand(command: string): boolean {
  let index = 0;
  let words = 0;
  let inWord = false;
  while (index < command.length) {
    const char = command[index]!;
    if (char === " " || char === "\t") {
      inWord = false;
      index++;
      continue;
    }
    if (!inWord) {
      words++;
      inWord = true;
    }
    if (char === "'") {
      const end = command.indexOf("'", index + 1);
      if (end < 0) return false;
      index = end + 1;
    } else if (char === '"') {
      const end = command.indexOf('"', index + 1);
      if (end < 0 || /[$`\\]/.test(command.slice(index + 1, end))) return false;
      index = end + 1;
    } else if (char === "\\") {
      if (index + 1 >= command.length || command[index + 1] === "\n") return false;
      index += 2;
    } else if (BARE_WORD.test(char)) {
      index++;
    } else {
      return false;
    }
  }
  return words > 0;
}
