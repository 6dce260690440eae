import type { BrowserContext } from "@playwright/test";

/** The Content Security Policy violations Chromium reports on the console of these contexts' pages, as they come. */
export function watchCspViolations(...contexts: BrowserContext[]): string[] {
  const violations: string[] = [];
  for (const context of contexts) {
    context.on("console", (message) => {
      if (message.text().includes("Content Security Policy")) violations.push(message.text());
    });
  }
  return violations;
}
