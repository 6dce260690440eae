export { transitionModelVersionStage, setModelAlias, deleteModelAlias, gateOf } from "./gate";
export { requestPromotion, previewPromotion, getPromotionRequest, cancelPromotionRequest, MAX_REQUEST_COMMENT_LENGTH } from "./requests";
export { decidePromotion, type Decision } from "./decisions";
export { listPromotionRequests, requestAbilities, decidableRequestCount, pendingRequestCount, type RequestView, type RequestListQuery } from "./list";
export { expireDueRequests, expiryLagSeconds, startRequestExpiry } from "./expiry";
export { computeEvidence, currentHolders } from "./evidence";
export type * from "./types";
