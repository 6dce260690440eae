import { z } from "zod";
import { projectRef } from "./projects";

const metricKey = z.string().min(1).max(250);

export const bestRunsInput = projectRef.extend({
  metricKey,
  direction: z.enum(["max", "min"]),
  limit: z.number().int().min(1).max(100).default(10),
});
export const runsPerDayInput = projectRef.extend({ days: z.number().int().min(1).max(366).default(30) });
export const recentRunsInput = projectRef.extend({ limit: z.number().int().min(1).max(100).default(10) });

export const compareRunsInput = projectRef.extend({
  runIds: z.array(z.string().regex(/^[a-zA-Z0-9][\w-]{0,255}$/, "Invalid run id")).min(2).max(20),
});
