import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

/**
 * Markdown written by users (run notes, README artifacts). Raw HTML is never rendered (react-markdown
 * escapes it without rehype-raw) and unsafe link protocols are dropped by its default URL transform.
 */
export function Markdown({ source }: { source: string }) {
  return (
    <div className="prose-tally max-w-none text-sm leading-6 text-gray-800">
      <ReactMarkdown remarkPlugins={[remarkGfm]}>{source}</ReactMarkdown>
    </div>
  );
}
