import type { ReactNode } from "react";
import { Tabs } from "@/components/projects/project-tabs";
import { cn } from "../ui/cn";

/**
 * The frame of a page that has a Lineage tab (a run, a model version, a dataset): its heading, the
 * tabs (its own first tab at `base`, Lineage at `base/lineage`) and the tab's content.
 */
export function LineageTabsLayout({
  heading,
  align,
  label,
  base,
  firstTab,
  children,
}: {
  heading: ReactNode;
  align: "center" | "baseline";
  /** What the tabs are of, for screen readers ("Run"). */
  label: string;
  base: string;
  firstTab: string;
  children: ReactNode;
}) {
  return (
    <div className="space-y-6">
      <div className="space-y-4 border-b border-gray-200">
        <div className={cn("flex flex-wrap gap-3", align === "center" ? "items-center" : "items-baseline")}>{heading}</div>
        <Tabs
          label={label}
          tabs={[
            { href: base, label: firstTab },
            { href: `${base}/lineage`, label: "Lineage" },
          ]}
        />
      </div>
      {children}
    </div>
  );
}
