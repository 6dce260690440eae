/**
 * A string whose plain code-unit order is the natural order of `text`, as people read names:
 * case-insensitive, and numbers by value ("fraud v2" before "fraud v10", "run 007" beside "run 7").
 * Each run of digits becomes its length (two characters, base 36: up to 1,295 digits) then the digits
 * without leading zeros, so a longer number sorts after a shorter one. Digits sort before letters,
 * as in a collator. Accents are not folded: "é" sorts after "z".
 */
export function naturalOrderKey(text: string): string {
  const lower = text.toLowerCase();
  return HAS_DIGIT.test(lower) ? lower.replace(DIGIT_RUNS, numberKey) : lower;
}

const HAS_DIGIT = /\d/;
const DIGIT_RUNS = /\d+/g;

function numberKey(digits: string): string {
  const value = digits.replace(/^0+(?=\d)/, "");
  return value.length.toString(36).padStart(2, "0") + value;
}
