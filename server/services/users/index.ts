export {
  setupNeeded,
  signUp,
  createUser,
  verifyCredentials,
  findOrProvisionSsoUser,
  getUser,
  type UserView,
  type AccountPolicy,
} from "./accounts";
export { resetLoginThrottle } from "./login-throttle";
