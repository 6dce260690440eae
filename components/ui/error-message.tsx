import type { ReactNode } from "react";

/** The message of a tRPC (or any) error, fit to show to the person who caused it. */
export function errorText(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong. Please try again.";
}

export function ErrorMessage({ error, children }: { error?: unknown; children?: ReactNode }) {
  if (!children && !error) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {children ?? errorText(error)}
    </div>
  );
}

export function Notice({ tone = "info", children }: { tone?: "info" | "warning" | "success"; children: ReactNode }) {
  const classes = {
    info: "border-indigo-200 bg-indigo-50 text-indigo-900",
    warning: "border-amber-200 bg-amber-50 text-amber-900",
    success: "border-green-200 bg-green-50 text-green-900",
  }[tone];
  return <div className={`rounded-md border px-3 py-2 text-sm ${classes}`}>{children}</div>;
}
