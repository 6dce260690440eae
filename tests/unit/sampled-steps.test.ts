import { describe, expect, it } from "vitest";
import { sampleSteps } from "@/server/services/runs/sampled-steps";

describe("sampleSteps", () => {
  it("keeps every step when there are no more than asked for", () => {
    expect(sampleSteps([1, 5, 9], 3)).toEqual([1, 5, 9]);
    expect(sampleSteps([], 10)).toEqual([]);
  });

  it("spreads the picks evenly and always keeps the first and the last step", () => {
    const steps = Array.from({ length: 15 }, (_, index) => index * 10);
    expect(sampleSteps(steps, 3)).toEqual([0, 50, 100, 140]);
    expect(sampleSteps(steps, 1)).toEqual([0, 140]);
  });

  it("never returns more than one step over the limit", () => {
    const steps = Array.from({ length: 100_000 }, (_, index) => index);
    const sampled = sampleSteps(steps, 2_500);
    expect(sampled.length).toBeLessThanOrEqual(2_501);
    expect(sampled[0]).toBe(0);
    expect(sampled.at(-1)).toBe(99_999);
  });
});
