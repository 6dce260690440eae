/** The words of a param key: split at punctuation and at camelCase humps, lower-cased. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/**
 * Whether a param key names a random seed: one of its words is `seed` or `seeds` (`seed`, `random_seed`,
 * `torch_seed`, `data.seed`, `randomSeed`), or it names scikit-learn's `random_state`. Words, not
 * substrings, so `seedling_count` or `unseeded` are not seeds.
 */
export function isSeedKey(key: string): boolean {
  const words = wordsOf(key);
  if (words.some((word) => word === "seed" || word === "seeds" || word === "randomstate")) return true;
  return words.some((word, index) => word === "random" && words[index + 1] === "state");
}
