import { describe, expect, it } from "vitest";
import { latestPerKey } from "@/server/services/metrics/latest-points";

const point = (key: string, step: number, timestamp: number, value: number) => ({ key, step, timestamp, value });

describe("latestPerKey", () => {
  it("keeps the newest point per key by step, then timestamp, then value, whatever the arrival order", () => {
    const points = [
      point("loss", 2, 10, 0.5),
      point("acc", 1, 99, 0.9),
      point("loss", 3, 1, 0.4),
      point("acc", 1, 100, 0.1),
      point("loss", 3, 1, 0.45),
      point("acc", 0, 500, 1),
    ];
    expect(latestPerKey(points)).toEqual([point("acc", 1, 100, 0.1), point("loss", 3, 1, 0.45)]);
    expect(latestPerKey([...points].reverse())).toEqual([point("acc", 1, 100, 0.1), point("loss", 3, 1, 0.45)]);
  });

  it("orders values as PostgreSQL does: NaN above Infinity, -Infinity below everything", () => {
    const ties = [Number.NaN, Infinity, -Infinity, 0].map((value) => point("x", 5, 5, value));
    expect(latestPerKey(ties)[0]!.value).toBeNaN();
    expect(latestPerKey(ties.slice(1))[0]!.value).toBe(Infinity);
    expect(latestPerKey([ties[2]!, ties[3]!])[0]!.value).toBe(0);
  });

  it("sorts keys so that concurrent batches lock rows in one order", () => {
    const keys = latestPerKey(["b", "a", "c", "a"].map((key, index) => point(key, index, 0, 0))).map((p) => p.key);
    expect(keys).toEqual(["a", "b", "c"]);
  });
});
