import { Button } from "./button";

/** What the footer needs of a TanStack infinite query. */
interface InfinitePages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isPlaceholderData?: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/**
 * The footer of a table paged on the server: "Load more" while there is a next page, and, when a noun
 * is given, how many rows are shown (and whether a new filter is still loading).
 */
export function LoadMore({ pages, shown, noun }: { pages: InfinitePages; shown?: number; noun?: [singular: string, plural: string] }) {
  return (
    <div className="flex items-center gap-3">
      {pages.hasNextPage ? (
        <Button variant="secondary" size="sm" pending={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
      {noun && shown !== undefined ? (
        <span className="text-sm text-gray-500" aria-live="polite">
          {shown ? `${shown.toLocaleString("en")} ${shown === 1 ? noun[0] : noun[1]} shown` : ""}
          {pages.isPlaceholderData ? " · updating…" : ""}
        </span>
      ) : null}
    </div>
  );
}
