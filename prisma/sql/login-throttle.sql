-- The sign-in throttle's counts (server/services/users/login-throttle.ts) are written on every failed
-- sign-in and are worth nothing after a crash, so the table skips the write-ahead log. The drift test
-- (tests/integration/drift.test.ts) applies this file next to the schema.
ALTER TABLE "LoginThrottle" SET UNLOGGED;
