import type { MlflowRoute } from "../route-table";
import { artifactRoutes } from "./artifacts";
import { experimentRoutes } from "./experiments";
import { loggedModelRoutes } from "./logged-models";
import { registryRoutes } from "./registry";
import { runRoutes } from "./runs";

/** Every endpoint under /api/2.0/mlflow that Tally serves. */
export const mlflowRoutes: readonly MlflowRoute[] = [...experimentRoutes, ...runRoutes, ...loggedModelRoutes, ...artifactRoutes, ...registryRoutes];
