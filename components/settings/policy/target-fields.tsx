"use client";

import { STANDARD_CARD_SECTIONS } from "@/lib/model-cards";
import { MODEL_STAGES } from "@/lib/model-registry-states";
import type { PolicyDocumentTarget } from "@/server/services/policy/types";
import { Button } from "../../ui/button";
import { CONTROL_LOOK, Field, Input, SelectField, TextField } from "../../ui/field";

type Freeze = NonNullable<PolicyDocumentTarget["freeze"]>[number];

const CHECKBOX = "h-4 w-4 rounded border-gray-300 text-indigo-600";
const LABEL = "block text-sm font-medium text-gray-700";

/** One target of the policy form: what it applies to, and its rules (hidden when it is exempt). */
export function TargetFields({
  target,
  index,
  onChange,
  onRemove,
}: {
  target: PolicyDocumentTarget;
  index: number;
  onChange: (target: PolicyDocumentTarget) => void;
  onRemove: () => void;
}) {
  const set = (patch: Partial<PolicyDocumentTarget>) => onChange({ ...target, ...patch });
  const kind = target.alias !== undefined ? "alias" : "stage";
  const gated = target.gated !== false;
  const approvers = target.approvers ?? ["owner"];
  const toggleIn = (list: string[] | undefined, value: string, on: boolean) =>
    on ? [...(list ?? []).filter((item) => item !== value), value] : (list ?? []).filter((item) => item !== value);
  const freeze = target.freeze ?? [];
  const setFreeze = (at: number, patch: Partial<Freeze>) => set({ freeze: freeze.map((window, i) => (i === at ? { ...window, ...patch } : window)) });

  return (
    <fieldset className="space-y-4 rounded-md border border-gray-200 p-4" aria-label={`Target ${index + 1}`}>
      <div className="flex flex-wrap items-end gap-3">
        <SelectField
          label="Target"
          wrapperClassName="w-48"
          value={kind}
          onChange={(e) => onChange(e.target.value === "alias" ? { ...target, stage: undefined, alias: "" } : { ...target, alias: undefined, stage: "Production" })}
        >
          <option value="stage">Stage</option>
          <option value="alias">Alias or pattern</option>
        </SelectField>
        {kind === "stage" ? (
          <SelectField label="Stage" wrapperClassName="w-44" value={target.stage ?? ""} onChange={(e) => set({ stage: e.target.value })}>
            {MODEL_STAGES.map((stage) => (
              <option key={stage}>{stage}</option>
            ))}
          </SelectField>
        ) : (
          <TextField
            label="Alias (wildcards * and ?)"
            wrapperClassName="w-64"
            className="font-mono"
            value={target.alias ?? ""}
            placeholder="champion or release-*"
            onChange={(e) => set({ alias: e.target.value })}
          />
        )}
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" className={CHECKBOX} checked={gated} onChange={(e) => onChange(e.target.checked ? withoutKey(target, "gated") : exempt(target))} />
          Gated (needs approval)
        </label>
        <Button variant="ghost" size="sm" className="ml-auto" onClick={onRemove}>
          Remove target
        </Button>
      </div>
      {gated ? (
        <>
          <div className="flex flex-wrap items-end gap-6">
            <fieldset>
              <legend className={LABEL}>Approvers</legend>
              <div className="mt-2 flex gap-4 text-sm">
                <label className="flex items-center gap-2">
                  <input type="checkbox" className={CHECKBOX} checked disabled />
                  Owners
                </label>
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    className={CHECKBOX}
                    checked={approvers.includes("maintainer")}
                    onChange={(e) => set({ approvers: ["owner", ...toggleIn(approvers.filter((role) => role !== "owner"), "maintainer", e.target.checked)] })}
                  />
                  Maintainers
                </label>
              </div>
            </fieldset>
            <TextField
              label="Approvals needed"
              type="number"
              min={1}
              max={10}
              wrapperClassName="w-36"
              value={target.approvals ?? 1}
              onChange={(e) => set({ approvals: Number(e.target.value) })}
            />
            <label className="flex items-center gap-2 pb-2 text-sm">
              <input type="checkbox" className={CHECKBOX} checked={target.allow_self_approval ?? false} onChange={(e) => set({ allow_self_approval: e.target.checked })} />
              Requester may approve their own request
            </label>
          </div>
          <Field label="Metric checks, one per line" hint="For example metrics.accuracy >= current, metrics.latency_ms <= current * 1.1, metrics.auc >= 0.8">
            {(id) => (
              <textarea
                id={id}
                rows={Math.max(2, (target.checks ?? []).length + 1)}
                className={`block w-full px-3 py-2 font-mono ${CONTROL_LOOK}`}
                value={(target.checks ?? []).join("\n")}
                onChange={(e) => set({ checks: e.target.value.split("\n") })}
              />
            )}
          </Field>
          <fieldset>
            <legend className={LABEL}>Model-card sections that must be filled</legend>
            <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2 text-sm">
              {STANDARD_CARD_SECTIONS.map((section) => (
                <label key={section.id} className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    className={CHECKBOX}
                    checked={(target.card_sections ?? []).includes(section.id)}
                    onChange={(e) => set({ card_sections: toggleIn(target.card_sections, section.id, e.target.checked) })}
                  />
                  {section.title}
                </label>
              ))}
            </div>
          </fieldset>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className={CHECKBOX} checked={target.dataset_with_digest ?? false} onChange={(e) => set({ dataset_with_digest: e.target.checked })} />
            The source run must have a dataset input with a digest
          </label>
          <fieldset className="space-y-2">
            <legend className={LABEL}>Freeze windows (no promotions between two times, ISO 8601 with a time zone)</legend>
            {freeze.map((window, at) => (
              <div key={at} className="flex flex-wrap items-center gap-2">
                <div className="w-60">
                  <Input aria-label="Freeze from" className="font-mono" placeholder="2026-12-20T00:00:00Z" value={window.from} onChange={(e) => setFreeze(at, { from: e.target.value })} />
                </div>
                <span className="text-sm text-gray-500">to</span>
                <div className="w-60">
                  <Input aria-label="Freeze to" className="font-mono" placeholder="2027-01-05T00:00:00Z" value={window.to} onChange={(e) => setFreeze(at, { to: e.target.value })} />
                </div>
                <div className="w-56">
                  <Input aria-label="Freeze reason" placeholder="Reason (optional)" value={window.reason ?? ""} onChange={(e) => setFreeze(at, { reason: e.target.value || undefined })} />
                </div>
                <Button variant="ghost" size="sm" onClick={() => set({ freeze: freeze.filter((_, i) => i !== at) })}>
                  Remove
                </Button>
              </div>
            ))}
            <Button variant="secondary" size="sm" onClick={() => set({ freeze: [...freeze, { from: "", to: "" }] })}>
              Add freeze window
            </Button>
          </fieldset>
        </>
      ) : (
        <p className="text-sm text-gray-500">Not gated: promotions here need no approval, even when a pattern above or below matches.</p>
      )}
    </fieldset>
  );
}

function withoutKey(target: PolicyDocumentTarget, key: keyof PolicyDocumentTarget): PolicyDocumentTarget {
  const copy = { ...target };
  delete copy[key];
  return copy;
}

/** An exempt target keeps only what it applies to: rules on it would be refused. */
function exempt(target: PolicyDocumentTarget): PolicyDocumentTarget {
  return target.alias !== undefined ? { alias: target.alias, gated: false } : { stage: target.stage, gated: false };
}
