export { announceInvalidation, invalidateLocally } from "./announce";
export {
  cacheGeneration,
  startInvalidationListener,
  stopInvalidationListener,
  subscribeToInvalidations,
  type InvalidationSubscriber,
} from "./listener";
export type { Invalidation } from "./messages";
