import { describe, expect, it } from "vitest";
import { naturalOrderKey } from "@/server/services/lineage/natural-order";

const sorted = (names: string[]) =>
  [...names].sort((a, b) => (naturalOrderKey(a) < naturalOrderKey(b) ? -1 : naturalOrderKey(a) > naturalOrderKey(b) ? 1 : 0));

describe("natural order of names", () => {
  it("orders numbers inside names by value", () => {
    expect(sorted(["fraud v10", "fraud v2", "fraud v1", "fraud v100"])).toEqual(["fraud v1", "fraud v2", "fraud v10", "fraud v100"]);
    expect(sorted(["run-20", "run-3", "run-000001"])).toEqual(["run-000001", "run-3", "run-20"]);
  });

  it("ignores case and treats leading zeros as the same number", () => {
    expect(sorted(["Beta", "alpha", "GAMMA"])).toEqual(["alpha", "Beta", "GAMMA"]);
    expect(naturalOrderKey("Run 007")).toBe(naturalOrderKey("run 7"));
    expect(naturalOrderKey("v0")).not.toBe(naturalOrderKey("v"));
  });

  it("puts digits before letters and handles very long numbers", () => {
    expect(sorted(["model b", "model 9"])).toEqual(["model 9", "model b"]);
    const long = "9".repeat(40);
    expect(sorted([`x${long}`, `x${"9".repeat(39)}`, "x5"])).toEqual(["x5", `x${"9".repeat(39)}`, `x${long}`]);
  });
});
