import type { ReactNode } from "react";
import { Brand } from "../layout/brand";

/** The centered card every signed-out page (setup, sign-in, sign-up, invite) sits in. */
export function AuthCard({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="mb-6">
        <Brand />
      </div>
      <div className="w-full max-w-md rounded-lg border border-gray-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold text-gray-900">{title}</h1>
        {description ? <div className="mt-1 text-sm text-gray-500">{description}</div> : null}
        <div className="mt-6">{children}</div>
      </div>
    </main>
  );
}
