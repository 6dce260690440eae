import type { BrowserContext } from "@playwright/test";

/**
 * Saves the demo project's approval policy as its owner (API tokens may not change it): `yaml` in the
 * format of docs/approval-policy.md. Returns when the new revision is stored.
 */
export async function putPolicy(owner: BrowserContext, projectApiUrl: string, yaml: string): Promise<void> {
  const response = await owner.request.put(`${projectApiUrl}/policy`, { data: yaml, headers: { "content-type": "application/yaml" } });
  if (!response.ok()) throw new Error(`PUT policy: ${response.status()} ${await response.text()}`);
}
