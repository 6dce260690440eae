export { runReproduction } from "./reproduce";
export { SOURCE_TAGS, SOURCE_DIFF_ARTIFACT, MAX_DIFF_BYTES, MAX_ENVIRONMENT_FILE_BYTES } from "./source-tags";
export type { Reproduction, GitFacts, DatasetFact, PythonFacts, EnvironmentFile, SkippedFile } from "./types";
