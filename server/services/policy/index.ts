export { getPolicy, policyInForce, policyRevisions, previewPolicy, updatePolicy, PolicyRefused, type PolicyInput, type PolicyPreview } from "./policy";
export { gateFor, mayApprove, activeFreeze } from "./gates";
export { evaluateMetricRule, parseMetricRule, metricRuleText, NO_HOLDER } from "./metric-rules";
export { parsePolicyYaml, policyToYaml, policyDocument, targetLabel, MAX_APPROVALS, MAX_REQUEST_EXPIRY_DAYS, MAX_POLICY_YAML_LENGTH } from "./format";
export { DEFAULT_POLICY } from "./defaults";
export type * from "./types";
export { APPROVER_ROLES, COMPARATORS } from "./types";
