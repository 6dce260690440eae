import Link from "next/link";
import { Badge } from "../ui/badge";
import { Brand } from "./brand";
import { SignOutButton } from "./sign-out-button";

export function TopBar({ email, isAdmin }: { email: string; isAdmin: boolean }) {
  return (
    <header className="border-b border-gray-200 bg-white">
      <div className="mx-auto flex h-14 max-w-7xl items-center justify-between gap-4 px-4 sm:px-6">
        <div className="flex items-center gap-6">
          <Brand href="/projects" />
          <nav aria-label="Main">
            <Link href="/projects" className="text-sm font-medium text-gray-600 hover:text-gray-900">
              Projects
            </Link>
          </nav>
        </div>
        <div className="flex items-center gap-3">
          {isAdmin ? <Badge tone="indigo">Admin</Badge> : null}
          <span className="text-sm text-gray-600" data-testid="current-user">
            {email}
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
