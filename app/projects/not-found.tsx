import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export default function ProjectNotFound() {
  return (
    <main className="mx-auto max-w-xl px-4 py-20 text-center">
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold text-gray-900">Project not found</h1>
      <p className="mt-2 text-sm text-gray-500">
        This project does not exist, or you are not a member of it. Ask a project owner for an invite if you need access.
      </p>
      <Link href="/projects" className={`${buttonClasses("primary")} mt-6`}>
        Back to projects
      </Link>
    </main>
  );
}
