export { createToken, listTokens, revokeToken, type ApiToken } from "./tokens";
export { authenticateToken, type TokenPrincipal } from "./verify";
export { tokenFromAuthorization } from "./token-format";
