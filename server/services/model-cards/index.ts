export { getModelCard, saveModelCard, listCardRevisions, getCardRevision, type ModelCard, type CardRevision } from "./cards";
export { cardFacts, type CardFacts } from "./facts";
export { exportModelCardMarkdown } from "./export";
export {
  listProjectCardSections,
  addProjectCardSection,
  renameProjectCardSection,
  removeProjectCardSection,
} from "./project-sections";
