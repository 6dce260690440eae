import type { AppError } from "@/lib/errors";
import { tokenize, type ErrorAt, type Token } from "./tokenizer";

/** Reads the tokens of one filter or order_by entry; errors point at a token's 1-based position. */
export class Cursor {
  private readonly tokens: Token[];
  private index = 0;

  constructor(
    readonly text: string,
    private readonly errorAt: ErrorAt,
  ) {
    this.tokens = tokenize(text, errorAt);
  }

  /** The next token; at the end of the text, the `end` token, however often it is read. */
  peek(): Token {
    return this.tokens[this.index]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index++;
    return token;
  }

  previous(): Token | undefined {
    return this.tokens[this.index - 1];
  }

  /** Consumes the next token if it is the keyword `word` (keywords are case-insensitive). */
  takeKeyword(word: string): boolean {
    if (!isKeyword(this.peek(), word)) return false;
    this.index++;
    return true;
  }

  /** The text from `first` to the last token read, as written: how messages quote what came before. */
  since(first: Token): string {
    return this.text.slice(first.start, this.previous()?.end ?? first.end);
  }

  fail(token: Token, message: string): AppError {
    return this.errorAt(token.start, message);
  }
}

export function isKeyword(token: Token, word: string): boolean {
  return token.kind === "word" && token.source.toUpperCase() === word;
}

/** How messages name what was found: `'AND'`, `the string 'x'`, `the number 0.5`, `the end of the text`. */
export function describe(token: Token): string {
  switch (token.kind) {
    case "end":
      return "the end of the text";
    case "string":
      return `the string ${token.source}`;
    case "number":
      return `the number ${token.source}`;
    default:
      return `'${token.source}'`;
  }
}
