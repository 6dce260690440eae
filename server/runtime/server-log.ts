import type { Readable, Writable } from "node:stream";

/**
 * What `npm start` shows of its web server's standard output: Tally's log (JSON lines,
 * docs/operations.md) and, of Next.js's own chatter, only warnings and errors. The lines of a chunk
 * go on in one write: the server writes its log in blocks of lines, and writing them on one by one
 * would spend a system call per line here (docs/performance.md, "The request log").
 */
export function passServerLog(from: Readable, to: Writable): void {
  let partial = "";
  from.setEncoding("utf8");
  from.on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop()!;
    const shown = lines.filter(isShown);
    if (shown.length > 0) to.write(`${shown.join("\n")}\n`);
  });
  from.once("end", () => {
    if (isShown(partial)) to.write(`${partial}\n`);
  });
}

function isShown(line: string): boolean {
  return line.startsWith("{") || /error|warn/i.test(line);
}
