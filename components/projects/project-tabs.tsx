"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "../ui/cn";

export interface Tab {
  href: string;
  label: string;
  /** Also active on sub-paths (e.g. Settings on /settings/members). */
  prefix?: boolean;
  /** A count shown next to the label when above zero (e.g. requests waiting for the viewer). */
  badge?: number;
  /** What the count is, for screen readers. */
  badgeLabel?: string;
}

function TabBadge({ tab }: { tab: Tab }) {
  if (!tab.badge) return null;
  return (
    <span data-testid="tab-badge" className="ml-1.5 rounded-full bg-indigo-100 px-1.5 py-0.5 text-xs font-semibold tabular-nums text-indigo-700">
      {tab.badge.toLocaleString("en")}
      {tab.badgeLabel ? <span className="sr-only"> {tab.badgeLabel}</span> : null}
    </span>
  );
}

export function Tabs({ tabs, label, variant = "underline" }: { tabs: Tab[]; label: string; variant?: "underline" | "side" }) {
  const pathname = usePathname();
  const isActive = (tab: Tab) => pathname === tab.href || (tab.prefix === true && pathname.startsWith(`${tab.href}/`));
  if (variant === "side") {
    return (
      <nav aria-label={label} className="flex gap-1 overflow-x-auto md:flex-col">
        {tabs.map((tab) => (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={isActive(tab) ? "page" : undefined}
            className={cn(
              "whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium",
              isActive(tab) ? "bg-gray-200/70 text-gray-900" : "text-gray-600 hover:bg-gray-100 hover:text-gray-900",
            )}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
    );
  }
  return (
    <nav aria-label={label} className="-mb-px flex gap-6">
      {tabs.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={isActive(tab) ? "page" : undefined}
          className={cn(
            "border-b-2 px-1 pb-3 text-sm font-medium",
            isActive(tab) ? "border-indigo-600 text-indigo-600" : "border-transparent text-gray-500 hover:border-gray-300 hover:text-gray-700",
          )}
        >
          {tab.label}
          <TabBadge tab={tab} />
        </Link>
      ))}
    </nav>
  );
}
