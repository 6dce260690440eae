import { describe, expect, it } from "vitest";
import { parseMlmodel } from "@/server/services/registry/mlmodel";
import { SKLEARN_MLMODEL } from "../support/mlmodel";

describe("parseMlmodel", () => {
  it("reads the flavors, the signature and the input example of sklearn's log_model output", () => {
    const parsed = parseMlmodel(SKLEARN_MLMODEL);
    expect(parsed.flavors.map((flavor) => flavor.name)).toEqual(["python_function", "sklearn"]);
    expect(parsed.flavors[1]!.properties).toContainEqual({ key: "sklearn_version", value: "1.5.2" });
    expect(parsed.flavors[1]!.properties).toContainEqual({ key: "code", value: "null" });
    expect(parsed.flavors[0]!.properties).toContainEqual({ key: "env", value: JSON.stringify({ conda: "conda.yaml", virtualenv: "python_env.yaml" }) });
    expect(parsed.signature!.inputs).toEqual([
      { name: "sepal length (cm)", type: "double", required: true, shape: null },
      { name: "sepal width (cm)", type: "double", required: true, shape: null },
      { name: "petal length (cm)", type: "double", required: true, shape: null },
      { name: "petal width (cm)", type: "double", required: true, shape: null },
    ]);
    expect(parsed.signature!.outputs).toEqual([{ name: null, type: "tensor<int64>", required: true, shape: [-1] }]);
    expect(parsed.signature!.params).toEqual([]);
    expect(parsed.inputExample).toEqual({ path: "input_example.json", type: "dataframe", pandasOrient: "split" });
    expect(parsed).toMatchObject({ mlflowVersion: "2.17.2", createdAt: "2024-11-05 09:12:44.123456", modelUuid: "5d4c0b3a9f0e4e55a3a1c1f0d2b7e9aa" });
  });

  it("reads params, optional columns and array types", () => {
    const parsed = parseMlmodel(`flavors:
  python_function: {loader_module: mlflow.pyfunc.model}
signature:
  inputs: '[{"type": "string", "name": "text", "required": false}, {"type": "array", "items": {"type": "double"}, "name": "emb", "required": true}]'
  outputs: '[{"type": "string", "required": true}]'
  params: '[{"name": "temperature", "type": "float", "default": 0.5, "shape": null}]'
`);
    expect(parsed.signature!.inputs).toEqual([
      { name: "text", type: "string", required: false, shape: null },
      { name: "emb", type: "array<double>", required: true, shape: null },
    ]);
    expect(parsed.signature!.params).toEqual([{ name: "temperature", type: "float", default: 0.5, shape: null }]);
    expect(parsed.inputExample).toBeNull();
  });

  it("has no signature when the MLmodel names none, and refuses what is not a YAML mapping", () => {
    expect(parseMlmodel("flavors: {}\n").signature).toBeNull();
    expect(() => parseMlmodel("- a\n- b\n")).toThrow(/mapping/);
    expect(() => parseMlmodel("signature:\n  inputs: '[not json'\n")).toThrow(/not JSON/);
  });
});
