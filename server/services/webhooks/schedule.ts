/**
 * When a failed delivery is tried again: 1 minute after the first attempt, doubling each time up to
 * 5 hours between attempts, 13 attempts in all, the last about 23.5 hours after the first.
 */
export const MAX_DELIVERY_ATTEMPTS = 13;
const FIRST_RETRY_MS = 60_000;
const LONGEST_WAIT_MS = 5 * 3_600_000;

/** Worth trying again: no answer (network error, timeout), a 5xx, 408 Request Timeout or 429 Too Many Requests. */
export function isRetryable(responseCode: number | null): boolean {
  return responseCode === null || responseCode >= 500 || responseCode === 408 || responseCode === 429;
}

/** The next attempt's time after attempt number `attempts` failed, or null when there is none. */
export function nextAttemptAfter(attempts: number, now: Date, responseCode: number | null): Date | null {
  if (!isRetryable(responseCode) || attempts >= MAX_DELIVERY_ATTEMPTS) return null;
  const wait = Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), LONGEST_WAIT_MS);
  return new Date(now.getTime() + wait);
}
