export {
  setupNeeded,
  signUp,
  createUser,
  verifyCredentials,
  signInWithSso,
  verifyEmail,
  getUser,
  type User,
  type AccountPolicy,
  type EmailVerification,
  type SignUpRequest,
  type SsoRefusal,
  type SsoSignIn,
} from "./accounts";
export { purgeExpiredLoginFailures, startLoginThrottleCleanup } from "./login-throttle";
