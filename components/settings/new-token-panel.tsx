"use client";

import { Button } from "../ui/button";
import { CopyField } from "../ui/copy-button";

/** The only place a token's plaintext ever appears; it lives in component state and is gone on reload. */
export function NewTokenPanel({ name, plaintext, onDismiss }: { name: string; plaintext: string; onDismiss: () => void }) {
  return (
    <section aria-label="New token" className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-5">
      <div>
        <h2 className="text-base font-semibold text-amber-900">Token “{name}” created</h2>
        <p className="mt-1 text-sm text-amber-900">
          Copy it now and store it somewhere safe. <strong>It will not be shown again</strong>: Tally keeps only a hash.
        </p>
      </div>
      <CopyField value={plaintext} label="New API token" testId="new-token" />
      <Button variant="secondary" size="sm" onClick={onDismiss}>
        I have copied it
      </Button>
    </section>
  );
}
