import { DEFAULT_REQUEST_EXPIRY_DAYS, entryDefaults } from "./format";
import type { ApprovalPolicy } from "./types";

/**
 * A project's policy until an owner changes it: stage Production and the aliases `champion` and
 * `production` are gated (owners approve, one approval, never one's own request); everything else is
 * not; pending requests expire after 14 days.
 */
export const DEFAULT_POLICY: ApprovalPolicy = {
  requestExpiryDays: DEFAULT_REQUEST_EXPIRY_DAYS,
  entries: [
    entryDefaults({ kind: "stage", stage: "Production" }),
    entryDefaults({ kind: "alias", pattern: "champion" }),
    entryDefaults({ kind: "alias", pattern: "production" }),
  ],
};
