import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "./cn";

export function Table({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table aria-label={label} className="min-w-full divide-y divide-gray-200 text-sm">
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return (
    <thead className="bg-gray-50">
      <tr>{children}</tr>
    </thead>
  );
}

export function Th({ className, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={cn("whitespace-nowrap px-3 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-gray-500", className)}
      {...rest}
    />
  );
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-gray-100 bg-white">{children}</tbody>;
}

export function Td({ className, ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn("px-3 py-2.5 align-middle text-gray-700", className)} {...rest} />;
}

export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-4 py-6 text-center text-sm text-gray-500">
        {children}
      </td>
    </tr>
  );
}

/** A plain read-only table: a header row and one row of cells per entry, with a message when empty. */
export function SimpleTable({
  label,
  headers,
  rows,
  empty,
}: {
  label: string;
  headers: string[];
  rows: { key: string; cells: ReactNode[]; className?: string }[];
  empty: string;
}) {
  return (
    <Table label={label}>
      <THead>
        {headers.map((header) => (
          <Th key={header}>{header}</Th>
        ))}
      </THead>
      <TBody>
        {rows.length === 0 ? <EmptyRow colSpan={headers.length}>{empty}</EmptyRow> : null}
        {rows.map((row) => (
          <tr key={row.key}>
            {row.cells.map((cell, index) => (
              <Td key={index} className={index === 0 ? "font-mono text-xs" : row.className}>
                {cell}
              </Td>
            ))}
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
