import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { TrpcProviders } from "@/lib/trpc-client";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Tally", template: "%s · Tally" },
  description: "ML experiment tracking, lineage and model registry",
};

/** Rendered per request, never prerendered: each response needs its own script nonce (see proxy.ts). */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <TrpcProviders>{children}</TrpcProviders>
      </body>
    </html>
  );
}
