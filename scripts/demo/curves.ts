import type { Random } from "./random";

/** Shapes of learning curves that look like real training: fast early progress, noise, a plateau. */

/** Loss decaying from `start` towards `floor` with multiplicative noise. */
export function lossAt(progress: number, start: number, floor: number, speed: number, random: Random, noise = 0.04): number {
  const clean = floor + (start - floor) * Math.exp(-speed * progress);
  return Math.max(floor * 0.5, clean * (1 + noise * random.gaussian()));
}

/** A score rising from `start` towards `ceiling`, capped at 1. */
export function scoreAt(progress: number, start: number, ceiling: number, speed: number, random: Random, noise = 0.006): number {
  const clean = ceiling - (ceiling - start) * Math.exp(-speed * progress);
  return Math.min(0.999, Math.max(0, clean + noise * random.gaussian()));
}

/** Cosine learning-rate schedule with linear warm-up. */
export function cosineLr(progress: number, peak: number, warmup = 0.05): number {
  if (progress < warmup) return (peak * progress) / warmup;
  return 0.5 * peak * (1 + Math.cos((Math.PI * (progress - warmup)) / (1 - warmup)));
}

/** A plausible confusion matrix for `classes` classes at the given accuracy. */
export function confusionMatrix(classes: number, perClass: number, accuracy: number, random: Random): number[][] {
  return Array.from({ length: classes }, (_, row) => {
    const cells = Array.from({ length: classes }, () => 0);
    const correct = Math.round(perClass * Math.min(0.99, accuracy + 0.05 * random.gaussian()));
    cells[row] = correct;
    for (let miss = 0; miss < perClass - correct; miss++) {
      // Mistakes cluster on a neighbouring class, as they do for look-alike classes.
      const column = random.next() < 0.6 ? (row + 1) % classes : random.integer(0, classes - 1);
      cells[column === row ? (row + 2) % classes : column]! += 1;
    }
    return cells;
  });
}
