import { describe, expect, it } from "vitest";
import { isRetryable, MAX_DELIVERY_ATTEMPTS, nextAttemptAfter } from "@/server/services/webhooks/schedule";
import { isPrivateAddress } from "@/server/services/webhooks/target-guard";

describe("webhook retry schedule", () => {
  const now = new Date("2026-12-01T00:00:00Z");

  it("retries network errors, timeouts, 5xx, 408 and 429, and nothing else", () => {
    for (const code of [null, 500, 502, 503, 504, 408, 429]) expect(isRetryable(code)).toBe(true);
    for (const code of [200, 301, 400, 401, 403, 404, 410, 422]) expect(isRetryable(code)).toBe(false);
    expect(nextAttemptAfter(1, now, 404)).toBeNull();
  });

  it("doubles the wait from one minute up to five hours, and stops after about a day", () => {
    const waits: number[] = [];
    for (let attempt = 1; ; attempt++) {
      const next = nextAttemptAfter(attempt, now, 503);
      if (!next) {
        expect(attempt).toBe(MAX_DELIVERY_ATTEMPTS);
        break;
      }
      waits.push((next.getTime() - now.getTime()) / 60_000);
    }
    expect(waits.slice(0, 4)).toEqual([1, 2, 4, 8]);
    expect(Math.max(...waits)).toBe(300);
    const hours = waits.reduce((sum, wait) => sum + wait, 0) / 60;
    expect(hours).toBeGreaterThan(22);
    expect(hours).toBeLessThan(26);
  });
});

describe("private addresses", () => {
  it.each([
    "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.64.0.1",
    "100.127.255.254", "0.0.0.0", "224.0.0.251", "255.255.255.255", "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe",
  ])("%s is private", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])("%s is public", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});
