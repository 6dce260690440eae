import { describe, expect, it } from "vitest";
import { wireJson } from "@/server/http/json";

describe("wireJson", () => {
  it("spells non-finite numbers as MLflow does, at any depth", () => {
    const text = wireJson({ metrics: [{ key: "loss", value: Number.NaN }, { key: "a", value: Infinity }, { key: "b", value: -Infinity }] });
    expect(JSON.parse(text)).toEqual({ metrics: [{ key: "loss", value: "NaN" }, { key: "a", value: "Infinity" }, { key: "b", value: "-Infinity" }] });
  });

  it("keeps real nulls and strings that spell null beside a non-finite number", () => {
    expect(wireJson({ endTime: null, note: "null", value: Number.NaN })).toBe('{"endTime":null,"note":"null","value":"NaN"}');
    expect(wireJson({ endTime: null, note: "null" })).toBe('{"endTime":null,"note":"null"}');
  });

  it("writes bigints as numbers", () => {
    expect(wireJson({ step: 12n, points: [1n, 2.5] })).toBe('{"step":12,"points":[1,2.5]}');
  });

  it("writes finite answers as plain JSON", () => {
    expect(wireJson({ run: { name: "r", value: 0.25, tags: [] } })).toBe('{"run":{"name":"r","value":0.25,"tags":[]}}');
  });
});
