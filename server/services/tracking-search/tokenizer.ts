import type { AppError } from "@/lib/errors";
import type { NumberOperator } from "./ast";

/** Builds the BAD_INPUT error for a problem at a 0-based position of the text being read. */
export type ErrorAt = (position: number, message: string) => AppError;

interface Span {
  /** 0-based offsets into the text; `source` is the text between them, as written. */
  start: number;
  end: number;
  source: string;
}

export type Token = Span &
  (
    | { kind: "word" }
    /** A quoted string or key; `value` has the quotes removed and escapes resolved. */
    | { kind: "string"; quote: "'" | '"' | "`"; value: string }
    | { kind: "number"; value: number }
    | { kind: "operator"; op: NumberOperator }
    | { kind: "(" | ")" | "," | "end" }
  );

/**
 * Words are identifiers and keywords alike; dots belong to the word, so `tags.mlflow.runName` is one
 * token and the parser splits off the type at the first dot, as MLflow does. A trailing dot
 * (`params.`) lets a quoted key follow.
 */
const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]*)*/y;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NUMBER_START = /^-?\.?\d/;
const OPERATORS: readonly NumberOperator[] = ["!=", "<=", ">=", "=", "<", ">"];
/** Operators people bring from other languages, refused with the spelling this grammar uses. */
const MISTAKEN_OPERATORS: Readonly<Record<string, string>> = { "==": "=", "<>": "!=" };

export function tokenize(text: string, errorAt: ErrorAt): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    if (/\s/.test(text[position]!)) {
      position++;
      continue;
    }
    const token = readToken(text, position, errorAt);
    tokens.push(token);
    position = token.end;
  }
  tokens.push({ kind: "end", start: text.length, end: text.length, source: "" });
  return tokens;
}

function readToken(text: string, start: number, errorAt: ErrorAt): Token {
  const char = text[start]!;
  if (char === "'" || char === '"' || char === "`") return readQuoted(text, start, char, errorAt);
  if (char === "(" || char === ")" || char === ",") return { kind: char, start, end: start + 1, source: char };

  const pair = text.slice(start, start + 2);
  const replacement = MISTAKEN_OPERATORS[pair];
  if (replacement) throw errorAt(start, `unknown operator '${pair}'; use '${replacement}'`);
  const op = OPERATORS.find((candidate) => text.startsWith(candidate, start));
  if (op) return { kind: "operator", op, start, end: start + op.length, source: op };

  if (NUMBER_START.test(text.slice(start, start + 3))) return readNumber(text, start, errorAt);

  WORD.lastIndex = start;
  const word = WORD.exec(text);
  if (word) return { kind: "word", start, end: start + word[0].length, source: word[0] };

  const afterKey = start > 0 && /[A-Za-z0-9_.]/.test(text[start - 1]!);
  throw errorAt(
    start,
    `unexpected character '${char}'` +
      (afterKey ? "; quote keys that contain special characters, e.g. params.`learning-rate`" : ""),
  );
}

function readNumber(text: string, start: number, errorAt: ErrorAt): Token {
  NUMBER.lastIndex = start;
  const source = NUMBER.exec(text)![0];
  const end = start + source.length;
  // `5abc` or `1.2.3` is a typo, not the number 5 followed by a word.
  const glued = /^[A-Za-z0-9_.]+/.exec(text.slice(end));
  if (glued) throw errorAt(start, `invalid number '${source}${glued[0]}'`);
  const value = Number(source);
  if (!Number.isFinite(value)) throw errorAt(start, `number '${source}' is out of range`);
  return { kind: "number", value, start, end, source };
}

/**
 * Inside any quotes, the quote character is written doubled (`'it''s'`) or backslash-escaped
 * (`'it\'s'`), and `\\` is one backslash. Any other backslash is kept as written, so LIKE patterns
 * such as `'50\%'` reach PostgreSQL with their escape intact.
 */
function readQuoted(text: string, start: number, quote: "'" | '"' | "`", errorAt: ErrorAt): Token {
  let value = "";
  let position = start + 1;
  while (position < text.length) {
    const char = text[position]!;
    const following = text[position + 1];
    if (char === "\\" && (following === quote || following === "\\")) {
      value += following;
      position += 2;
    } else if (char === quote && following === quote) {
      value += quote;
      position += 2;
    } else if (char === quote) {
      return { kind: "string", quote, value, start, end: position + 1, source: text.slice(start, position + 1) };
    } else {
      value += char;
      position++;
    }
  }
  throw errorAt(start, `the ${quote} opened here is never closed`);
}
