import { z } from "zod";

/** Path parameters shared by Tally's REST routes (`/api/v1/projects/{slug}/…`). */

/** Any text: a slug that names no project visible to the caller is a 404, not a 400. */
export const projectSlugParam = z.string().min(1).max(100).meta({ description: "The project's slug" });

export const projectPath = z.object({ slug: projectSlugParam });
