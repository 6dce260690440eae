"use client";

import { useState } from "react";
import { Button } from "./button";

export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard access can be refused (insecure origin); the value stays visible to copy by hand.
    }
  }
  return (
    <Button variant="secondary" size="sm" onClick={copy}>
      {copied ? "Copied" : label}
    </Button>
  );
}

/** A secret or snippet shown in monospace with a copy button. */
export function CopyField({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <div className="flex items-center gap-2">
      <code
        aria-label={label}
        data-testid={testId}
        className="min-w-0 flex-1 overflow-x-auto whitespace-nowrap rounded-md bg-gray-900 px-3 py-2 font-mono text-sm text-gray-100"
      >
        {value}
      </code>
      <CopyButton value={value} />
    </div>
  );
}
