"use client";

import { useState } from "react";
import { Button } from "./button";
import { cn } from "./cn";
import { ErrorMessage } from "./error-message";
import { CONTROL_LOOK } from "./field";

/**
 * Tags as key = value chips, with a remove button on each and an add form for those who may edit.
 * Presentational: the caller runs the mutations. `onAdd` resolves when the tag is stored (the form
 * is then cleared).
 */
export function TagChips({
  tags,
  canEdit,
  onAdd,
  onRemove,
  adding,
  error,
}: {
  tags: readonly (readonly [string, string])[];
  canEdit: boolean;
  onAdd: (key: string, value: string) => Promise<unknown>;
  onRemove: (key: string) => void;
  adding: boolean;
  error: unknown;
}) {
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  return (
    <div className="space-y-3">
      {tags.length === 0 ? <p className="text-sm text-gray-500">No tags.</p> : null}
      <ul className="flex flex-wrap gap-2" aria-label="Tags">
        {tags.map(([tagKey, tagValue]) => (
          <li key={tagKey} className="inline-flex items-center gap-1 rounded-md bg-gray-100 px-2 py-1 font-mono text-xs text-gray-800">
            <span className="text-gray-500">{tagKey}</span>=<span className="break-all">{tagValue}</span>
            {canEdit ? (
              <button type="button" aria-label={`Remove tag ${tagKey}`} className="ml-1 text-gray-400 hover:text-red-600" onClick={() => onRemove(tagKey)}>
                ×
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canEdit ? (
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            void onAdd(key.trim(), value).then(() => (setKey(""), setValue("")), () => undefined);
          }}
        >
          <input aria-label="Tag key" placeholder="key" className={cn(CONTROL_LOOK, "w-36 px-2 py-1")} value={key} onChange={(event) => setKey(event.target.value)} />
          <input aria-label="Tag value" placeholder="value" className={cn(CONTROL_LOOK, "w-48 px-2 py-1")} value={value} onChange={(event) => setValue(event.target.value)} />
          <Button type="submit" size="sm" variant="secondary" pending={adding} disabled={!key.trim()}>
            Add tag
          </Button>
        </form>
      ) : null}
      <ErrorMessage error={error} />
    </div>
  );
}
