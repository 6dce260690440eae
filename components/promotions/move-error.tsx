import Link from "next/link";
import { ErrorMessage, errorText, Notice } from "../ui/error-message";
import { approvalRequiredPath } from "./links";

/**
 * The answer to a direct stage or alias move: when the target needs approval, the move became a
 * promotion request, and that is news rather than a failure: a notice with a link to the request.
 */
export function MoveError({ error }: { error: unknown }) {
  if (!error) return null;
  const message = errorText(error);
  const path = approvalRequiredPath(message);
  if (!path) return <ErrorMessage error={error} />;
  return (
    <Notice tone="warning">
      <span role="status">
        {message.slice(0, message.length - path.length).replace(/:\s*$/, "")}.{" "}
        <Link href={path} className="font-medium underline">
          Open the request
        </Link>
      </span>
    </Notice>
  );
}

/** A move that became a request changed the page (its pending requests): show it. */
export function refreshOnRequest(error: { message: string }, router: { refresh(): void }): void {
  if (approvalRequiredPath(error.message)) router.refresh();
}
