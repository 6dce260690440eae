"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc-client";
import type { PolicyDocument, PolicyProblem } from "@/server/services/policy/types";
import { Button, buttonClasses } from "../../ui/button";
import { Card, CardBody, CardHeader } from "../../ui/card";
import { CONTROL_LOOK, Field, TextField } from "../../ui/field";
import { ErrorMessage, Notice } from "../../ui/error-message";
import { NumberedYaml, PolicyProblems } from "./problems";
import { TargetFields } from "./target-fields";

interface Saved {
  document: PolicyDocument;
  yaml: string;
  revision: number;
}

/**
 * The owner's editor: a form over the policy's document and the same policy as YAML (paste, check,
 * apply, save, download). Both save through `policy.update`, which refuses a policy with its lines
 * and refuses an edit that started from an older revision.
 */
export function PolicyEditor({ slug, saved: initial }: { slug: string; saved: Saved }) {
  const trpc = useTRPC();
  const router = useRouter();
  // What the next save starts from: the page's policy, then each save's result.
  const [saved, setSaved] = useState<Saved>(initial);
  const [mode, setMode] = useState<"form" | "yaml">("form");
  const [draft, setDraft] = useState<PolicyDocument>(saved.document);
  const [yaml, setYaml] = useState(saved.yaml);
  const [problems, setProblems] = useState<PolicyProblem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const preview = useMutation(trpc.policy.preview.mutationOptions());
  const update = useMutation(trpc.policy.update.mutationOptions());
  const source = mode === "form" ? { document: withoutBlankChecks(draft) } : { yaml };

  async function check(): Promise<boolean> {
    setNotice(null);
    const result = await preview.mutateAsync({ projectSlug: slug, source });
    if (!result.ok) {
      setProblems(result.problems);
      return false;
    }
    setProblems([]);
    setDraft(result.document);
    setYaml(result.yaml);
    return true;
  }

  async function switchTo(next: "form" | "yaml") {
    if (next === mode) return;
    // The other view shows the same policy, so it must be one the parser accepts.
    if (await check().catch(() => false)) setMode(next);
  }

  async function save() {
    setNotice(null);
    try {
      if (!(await check())) return;
      const stored = await update.mutateAsync({ projectSlug: slug, basedOnRevision: saved.revision, source });
      setNotice(stored.revision === saved.revision ? "No change: the policy is the same." : `Saved as revision ${stored.revision}.`);
      setSaved({ document: stored.document, yaml: stored.yaml, revision: stored.revision });
      setDraft(stored.document);
      setYaml(stored.yaml);
      // The revision list comes from the page.
      router.refresh();
    } catch {
      // Shown below through the mutation's error (a stale revision, a lost connection).
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([yaml], { type: "application/yaml" }));
    const link = Object.assign(document.createElement("a"), { href: url, download: `${slug}-policy.yaml` });
    link.click();
    URL.revokeObjectURL(url);
  }

  const targets = draft.targets ?? [];
  const setTargets = (next: PolicyDocument["targets"]) => setDraft({ ...draft, targets: next });
  const tab = (value: "form" | "yaml", label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={mode === value}
      className={buttonClasses(mode === value ? "primary" : "secondary", "sm")}
      onClick={() => void switchTo(value)}
    >
      {label}
    </button>
  );

  return (
    <Card>
      <CardHeader
        title="Approval policy"
        description="Which stages and aliases need approval, who approves, and the checks that must pass. Listed targets are gated unless marked otherwise; everything else is not."
        actions={
          <div role="tablist" aria-label="Edit as" className="flex gap-2">
            {tab("form", "Form")}
            {tab("yaml", "YAML")}
          </div>
        }
      />
      <CardBody className="space-y-4">
        {mode === "form" ? (
          <>
            <TextField
              label="Pending requests expire after (days)"
              type="number"
              min={1}
              max={365}
              wrapperClassName="w-64"
              value={draft.request_expiry_days ?? 14}
              onChange={(e) => setDraft({ ...draft, request_expiry_days: Number(e.target.value) })}
            />
            {targets.length === 0 ? <Notice tone="warning">No targets: nothing needs approval.</Notice> : null}
            {targets.map((target, index) => (
              <TargetFields
                key={index}
                index={index}
                target={target}
                onChange={(next) => setTargets(targets.map((item, i) => (i === index ? next : item)))}
                onRemove={() => setTargets(targets.filter((_, i) => i !== index))}
              />
            ))}
            <div className="flex gap-2">
              <Button variant="secondary" size="sm" onClick={() => setTargets([...targets, { stage: "Staging", approvers: ["owner"], approvals: 1 }])}>
                Add stage
              </Button>
              <Button variant="secondary" size="sm" onClick={() => setTargets([...targets, { alias: "", approvers: ["owner"], approvals: 1 }])}>
                Add alias or pattern
              </Button>
            </div>
          </>
        ) : (
          <>
            <Field label="Policy YAML" hint="Paste a policy to import it; the format is in docs/approval-policy.md.">
              {(id) => (
                <textarea
                  id={id}
                  rows={Math.min(30, Math.max(10, yaml.split("\n").length + 1))}
                  spellCheck={false}
                  className={`block w-full px-3 py-2 font-mono text-xs ${CONTROL_LOOK}`}
                  value={yaml}
                  onChange={(e) => setYaml(e.target.value)}
                />
              )}
            </Field>
            {problems.length ? <NumberedYaml text={yaml} problems={problems} /> : null}
          </>
        )}
        <PolicyProblems problems={problems} />
        <ErrorMessage error={update.error ?? preview.error} />
        {notice ? <Notice tone="success">{notice}</Notice> : null}
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => void save()} pending={update.isPending}>
            Save policy
          </Button>
          <Button variant="secondary" onClick={() => void check().then((ok) => ok && setNotice("The policy is valid."), () => undefined)} pending={preview.isPending}>
            Check
          </Button>
          <Button variant="secondary" onClick={download}>
            Download YAML
          </Button>
          <Button
            variant="ghost"
            onClick={() => {
              setDraft(saved.document);
              setYaml(saved.yaml);
              setProblems([]);
              setNotice(null);
            }}
          >
            Discard changes
          </Button>
        </div>
        <p className="text-xs text-gray-500">Editing revision {saved.revision === 0 ? "0 (the defaults)" : saved.revision}. Downloads are canonical YAML; comments are not kept.</p>
      </CardBody>
    </Card>
  );
}

/** Empty lines of the checks box are not checks. */
function withoutBlankChecks(draft: PolicyDocument): PolicyDocument {
  return {
    ...draft,
    targets: (draft.targets ?? []).map((target) => {
      if (!target.checks) return target;
      const checks = target.checks.filter((check) => check.trim());
      const { checks: _blank, ...rest } = target;
      return checks.length ? { ...rest, checks } : rest;
    }),
  };
}
