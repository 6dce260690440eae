import Link from "next/link";
import type { RouterOutputs } from "@/lib/router-outputs";
import { Card } from "../ui/card";
import { formatDate } from "../ui/format";
import { EmptyRow, Table, TBody, Td, Th, THead } from "../ui/table";
import { RoleBadge } from "./role-badge";

export function ProjectList({ projects, isAdmin }: { projects: RouterOutputs["projects"]["list"]; isAdmin: boolean }) {
  return (
    <Card>
      <Table label="Projects">
        <THead>
          <Th>Name</Th>
          <Th>Slug</Th>
          <Th>My role</Th>
          <Th>Members</Th>
          <Th>Created</Th>
        </THead>
        <TBody>
          {projects.length === 0 ? (
            <EmptyRow colSpan={5}>
              {isAdmin
                ? "No projects yet. Create the first one below."
                : "You are not a member of any project yet. Ask a project owner for an invite link."}
            </EmptyRow>
          ) : (
            projects.map((project) => (
              <tr key={project.slug} className="hover:bg-gray-50">
                <Td>
                  <Link href={`/projects/${project.slug}`} className="font-medium text-indigo-600 hover:text-indigo-500">
                    {project.name}
                  </Link>
                </Td>
                <Td className="font-mono text-xs">{project.slug}</Td>
                <Td>
                  <RoleBadge role={project.role} />
                </Td>
                <Td>{project.memberCount}</Td>
                <Td>{formatDate(project.createdAt)}</Td>
              </tr>
            ))
          )}
        </TBody>
      </Table>
    </Card>
  );
}
