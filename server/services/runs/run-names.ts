import { randomInt } from "node:crypto";

/** Friendly generated names ("brave-otter-417"), as MLflow gives runs without one. */
const ADJECTIVES = [
  "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "daring", "eager", "fancy", "gentle", "glad",
  "golden", "grand", "happy", "keen", "kind", "lively", "lucky", "merry", "nimble", "noble", "polite", "proud",
  "quick", "quiet", "rapid", "sharp", "shiny", "silent", "smooth", "steady", "swift", "tidy", "vivid", "witty",
];
const NOUNS = [
  "ant", "badger", "bat", "bee", "bison", "crane", "deer", "dove", "eagle", "falcon", "finch", "fox", "gecko",
  "hare", "hawk", "heron", "ibis", "jay", "koala", "lark", "lynx", "mole", "moth", "newt", "otter", "owl", "panda",
  "puffin", "quail", "raven", "seal", "shrew", "stork", "swan", "tiger", "toad", "whale", "wolf", "wren", "yak",
];

export function generateRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
