import { describe, expect, it } from "vitest";
import { refuseNulCharacters } from "@/server/http/nul-characters";

describe("refuseNulCharacters", () => {
  const refusal = (value: unknown) => {
    try {
      refuseNulCharacters(value, "body");
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };

  it("names the field that holds a NUL, however deep, in a value or a key", () => {
    const points = Array.from({ length: 1_000 }, (_, step) => ({ key: "loss", value: 1, timestamp: 1, step }));
    expect(refusal({ run_id: "r", metrics: points })).toBeNull();
    points[731] = { ...points[731]!, key: "lo\u0000ss" };
    expect(refusal({ run_id: "r", metrics: points })).toBe("metrics.731.key: must not contain the NUL character (\\u0000)");
    expect(refusal({ tags: [{ ["ke\u0000y"]: "v" }] })).toBe("tags.0.ke\u0000y: must not contain the NUL character (\\u0000)");
    expect(refusal("a\u0000")).toBe("body: must not contain the NUL character (\\u0000)");
    expect(refusal({ nested: { list: [["ok", "n\u0000"]] } })).toBe("nested.list.0.1: must not contain the NUL character (\\u0000)");
  });
});
