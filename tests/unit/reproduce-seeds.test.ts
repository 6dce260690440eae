import { describe, expect, it } from "vitest";
import { isSeedKey } from "@/server/services/reproduce/seeds";

describe("isSeedKey", () => {
  it("recognises the usual names of random seeds", () => {
    for (const key of ["seed", "SEED", "random_seed", "torch_seed", "np-seed", "data.seed", "trainer/seed", "randomSeed", "seedValue", "seeds", "random_state", "randomState", "RANDOM_STATE", "split_random_state"]) {
      expect(isSeedKey(key), key).toBe(true);
    }
  });

  it("does not take words that merely contain 'seed' or 'random' for seeds", () => {
    for (const key of ["seedling_count", "unseeded", "reseeding", "random", "random_crop", "state", "lr", "max_depth", "linseed_oil"]) {
      expect(isSeedKey(key), key).toBe(false);
    }
  });
});
