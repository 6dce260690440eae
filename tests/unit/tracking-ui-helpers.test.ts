import { describe, expect, it } from "vitest";
import { parseCsv } from "@/components/tracking/artifact-preview";
import { smooth, toLog } from "@/components/tracking/chart-math";
import { formatDuration, formatMetric } from "@/components/tracking/format";
import { completionsFor, fieldName, orderByOf, sortFromOrderBy } from "@/components/tracking/search-terms";
import { parseRange } from "@/server/http/artifact-response";

describe("HTTP byte ranges", () => {
  const size = async () => 100;
  it("reads explicit, open-ended and suffix ranges", async () => {
    expect(await parseRange("bytes=10-19", size)).toEqual({ offset: 10, length: 10 });
    expect(await parseRange("bytes=90-", size)).toEqual({ offset: 90 });
    expect(await parseRange("bytes=-30", size)).toEqual({ offset: 70, length: 30 });
    expect(await parseRange("bytes=-500", size)).toEqual({ offset: 0, length: 100 });
  });
  it("ignores what it cannot serve as one range (the whole file is sent)", async () => {
    expect(parseRange(null, size)).toBeNull();
    expect(parseRange("bytes=0-1,5-6", size)).toBeNull();
    expect(parseRange("items=0-5", size)).toBeNull();
    expect(parseRange("bytes=-", size)).toBeNull();
    expect(parseRange("bytes=9-3", size)).toBeNull();
  });
});

describe("chart series", () => {
  it("leaves a series alone without smoothing and debiases the moving average", () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const smoothed = smooth([10, 10, 10, null, 10], 0.9);
    expect(smoothed.map((value) => (value === null ? null : Number(value.toFixed(6))))).toEqual([10, 10, 10, null, 10]);
  });
  it("has no logarithm for zero or negative values", () => {
    expect(toLog(100)).toBe(2);
    expect(toLog(0)).toBeNull();
    expect(toLog(-1)).toBeNull();
  });
});

describe("formatting", () => {
  it("spells out NaN and infinities and keeps four significant digits", () => {
    expect(formatMetric(Number.NaN)).toBe("NaN");
    expect(formatMetric(Infinity)).toBe("∞");
    expect(formatMetric(0.123456)).toBe("0.1235");
    expect(formatMetric(0.00001234)).toBe("1.234e-5");
    expect(formatMetric(null)).toBe("—");
  });
  it("writes durations a person reads at a glance", () => {
    expect(formatDuration(0, 12_300)).toBe("12.3s");
    expect(formatDuration(0, 249_000)).toBe("4m 09s");
    expect(formatDuration(0, 7_500_000)).toBe("2h 05m");
  });
});

describe("search terms written by the runs table", () => {
  it("quotes keys that the grammar cannot take bare", () => {
    expect(fieldName("metrics", "val_loss")).toBe("metrics.val_loss");
    expect(fieldName("metrics", "train/batch_loss")).toBe("metrics.`train/batch_loss`");
  });
  it("round-trips a sort through order_by", () => {
    const sort = { field: "metrics.acc", descending: true };
    expect(orderByOf(sort)).toEqual(["metrics.acc DESC"]);
    expect(sortFromOrderBy(orderByOf(sort))).toEqual(sort);
    expect(sortFromOrderBy([])).toBeNull();
  });
  it("completes the key being typed", () => {
    const keys = { metrics: ["acc", "loss"], params: ["lr"], tags: [] };
    expect(completionsFor("params.lr = '1' AND metrics.a", keys)).toEqual(["metrics.acc"]);
    expect(completionsFor("", keys)).toEqual([]);
  });
});

describe("CSV previews", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    expect(parseCsv('a,b\n1,"x, ""y"""\r\n2,"multi\nline"\n')).toEqual([
      ["a", "b"],
      ["1", 'x, "y"'],
      ["2", "multi\nline"],
    ]);
  });
});
