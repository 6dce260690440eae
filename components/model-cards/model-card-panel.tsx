"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { cardSectionTitle, orderedSectionIds } from "@/lib/model-cards";
import { useTRPC } from "@/lib/trpc-client";
import { Markdown } from "../tracking/markdown";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";
import { CardEditor } from "./card-editor";
import { CardRevisions } from "./card-revisions";

/** A model's or a version's card: its sections (a version's show which come from the model), editing for those allowed, and its revisions. */
export function ModelCardPanel({ slug, modelName, version, canEdit }: { slug: string; modelName: string; version?: number; canEdit: boolean }) {
  const trpc = useTRPC();
  const card = useQuery(trpc.modelCards.get.queryOptions({ projectSlug: slug, modelName, version }));
  const [mode, setMode] = useState<"view" | "edit" | "history">("view");
  const data = card.data;
  const inherited = new Set(data?.inherited ?? []);
  const inheritedSections = Object.fromEntries([...inherited].map((id) => [id, data?.sections[id] ?? ""]));
  const projectSections = data?.projectSections ?? [];
  const removed = new Set(projectSections.filter((section) => section.removed).map((section) => section.id));
  // The project's sections are listed on every card, written or not; the standard ones once written.
  const shown = data ? orderedSectionIds(data.sections, projectSections, { everyProjectSection: true }) : [];

  return (
    <Card>
      <CardHeader
        title={version === undefined ? "Model card" : `Model card of version ${version}`}
        description={
          data?.revision
            ? `Revision ${data.revision}, saved by ${data.updatedBy} on ${formatDateTime(data.updatedAt)}`
            : "Not written yet."
        }
        actions={
          <div className="flex gap-2">
            {canEdit && mode !== "edit" ? (
              <Button variant="secondary" size="sm" onClick={() => setMode("edit")}>
                Edit card
              </Button>
            ) : null}
            <Button variant="secondary" size="sm" onClick={() => setMode(mode === "history" ? "view" : "history")}>
              {mode === "history" ? "Show card" : "Revisions"}
            </Button>
          </div>
        }
      />
      <CardBody className="space-y-5">
        <ErrorMessage error={card.error} />
        {data && mode === "edit" ? (
          <CardEditor
            slug={slug}
            modelName={modelName}
            version={version}
            baseRevision={data.revision}
            ownSections={data.ownSections}
            inheritedSections={inheritedSections}
            projectSections={projectSections}
            onDone={() => setMode("view")}
          />
        ) : null}
        {mode === "history" ? <CardRevisions slug={slug} modelName={modelName} version={version} projectSections={projectSections} /> : null}
        {data && mode === "view" ? (
          shown.length ? (
            shown.map((id) => (
              <section key={id} aria-label={cardSectionTitle(id, projectSections) ?? id}>
                <h3 className="mb-1 flex items-center gap-2 text-sm font-semibold text-gray-900">
                  {cardSectionTitle(id, projectSections)} {inherited.has(id) ? <Badge>from the model&apos;s card</Badge> : null}
                  {removed.has(id) ? <Badge>no longer a project section</Badge> : null}
                </h3>
                {data.sections[id] ? (
                  <Markdown source={data.sections[id]} />
                ) : (
                  <p className="text-sm text-gray-500">Not written yet.</p>
                )}
              </section>
            ))
          ) : (
            <p className="text-sm text-gray-500">This card has no sections yet.</p>
          )
        ) : null}
      </CardBody>
    </Card>
  );
}
