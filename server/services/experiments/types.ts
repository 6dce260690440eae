import type { LifecycleStage } from "@/lib/tracking-states";

/** An experiment as Tally speaks of it; the MLflow edge maps it to its wire shape (server/http/mlflow/tracking-wire.ts). */
export interface Experiment {
  /** The MLflow experiment id: the experiment's number in its project, as a string. */
  id: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  /** Epoch milliseconds. */
  creationTime: number;
  lastUpdateTime: number;
  tags: { key: string; value: string }[];
}
