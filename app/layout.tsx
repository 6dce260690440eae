import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TrpcProviders } from "@/lib/trpc-client";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Tally", template: "%s · Tally" },
  description: "ML experiment tracking, lineage and model registry",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <TrpcProviders>{children}</TrpcProviders>
      </body>
    </html>
  );
}
