import { describe, expect, it } from "vitest";
import { schemaText } from "@/lib/openapi/schema-text";

/** How the API reference page spells a JSON Schema. */
describe("schemaText", () => {
  it("spells objects field by field, optional ones with ?, with limits, defaults and named components", () => {
    expect(
      schemaText({
        type: "object",
        properties: {
          name: { type: "string", minLength: 1, maxLength: 1000 },
          limit: { type: "integer", minimum: 1, maximum: 200, default: 50 },
          target: { anyOf: [{ type: "object", properties: { stage: { type: "string" } }, required: ["stage"] }, { type: "null" }] },
          request: { $ref: "#/components/schemas/PromotionRequest" },
          tags: { type: "array", maxItems: 100, items: { type: "string" } },
        },
        required: ["name"],
      }),
    ).toBe(
      [
        "{",
        "  name: string (1–1000)",
        "  limit?: integer (1–200) = 50",
        "  target?: {",
        "    stage: string",
        "  } | null",
        "  request?: PromotionRequest",
        "  tags?: string[] (≤100 items)",
        "}",
      ].join("\n"),
    );
  });

  it("spells enums, constants, unions inside lists and unbounded integers plainly", () => {
    expect(schemaText({ type: "string", enum: ["mine", "all"] })).toBe('"mine" | "all"');
    expect(schemaText({ const: false })).toBe("false");
    expect(schemaText({ type: "array", items: { anyOf: [{ type: "number" }, { type: "string", pattern: "^-?\\d+$" }] } })).toBe("(number | string)[]");
    expect(schemaText({ type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 })).toBe("integer");
    expect(schemaText({ type: "object", properties: {}, additionalProperties: false })).toBe("{}");
  });
});
