import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "@playwright/test";

const FILE = path.resolve("test-results", "page-timings.json");
const timings: Record<string, number> = {};

/** Time from navigation until `ready` holds: when a user can start working with the page. */
export async function timed(page: Page, name: string, url: string, ready: () => Promise<void>): Promise<void> {
  const started = Date.now();
  await page.goto(url);
  await ready();
  timings[name] = Date.now() - started;
}

/** Adds this spec's timings to test-results/page-timings.json, keeping the other specs' entries. */
export async function saveTimings(): Promise<void> {
  await mkdir(path.dirname(FILE), { recursive: true });
  const earlier = await readFile(FILE, "utf8").then((text) => JSON.parse(text) as Record<string, number>, () => ({}));
  await writeFile(FILE, `${JSON.stringify({ ...earlier, ...timings }, null, 2)}\n`);
  console.log(`time to interactive on the demo data (ms): ${JSON.stringify(timings)}`);
}
