/** Fixed secrets of the disposable test instance (scripts/serve-test-instance.ts), known to its tests. */
export const TEST_INSTANCE_AUTH_SECRET = "e2e-secret-0123456789abcdef0123456789";
export const TEST_INSTANCE_SETUP_TOKEN = "e2e-setup-token-0123456789abcdef";
