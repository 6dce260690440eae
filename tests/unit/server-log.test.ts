import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { passServerLog } from "@/server/runtime/server-log";

/** What `npm start` prints of its server's output, and in how many writes. */
function launcherOutput() {
  const from = new PassThrough();
  const writes: string[] = [];
  const to = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  passServerLog(from, to);
  const ended = new Promise((resolve) => from.once("end", resolve));
  return { from, writes, ended };
}

const line = (id: number) => JSON.stringify({ level: "info", msg: "request", requestId: `r${id}` });

describe("the server's log as npm start passes it through", () => {
  it("passes whole JSON lines in order, a chunk's lines in one write, even when a chunk ends mid-line", async () => {
    const { from, writes, ended } = launcherOutput();
    const text = `${Array.from({ length: 30 }, (_, id) => line(id)).join("\n")}\n`;
    const cut = text.indexOf("r17");
    from.write(text.slice(0, cut));
    from.write(text.slice(cut));
    from.end();
    await ended;
    expect(writes).toHaveLength(2);
    expect(writes.join("")).toBe(text);
  });

  it("drops Next.js's chatter but keeps its warnings and errors, and a last line without a newline", async () => {
    const { from, writes, ended } = launcherOutput();
    from.write(`   ▲ Next.js 16\n - Local: http://localhost:3000\n${line(1)}\n ⚠ Warning: something odd\nError: it broke\n`);
    from.write(line(2));
    from.end();
    await ended;
    expect(writes.join("")).toBe(`${line(1)}\n ⚠ Warning: something odd\nError: it broke\n${line(2)}\n`);
  });

  it("writes nothing for a chunk of chatter only", async () => {
    const { from, writes, ended } = launcherOutput();
    from.write("   ▲ Next.js 16\n ✓ Ready in 1s\n");
    from.end();
    await ended;
    expect(writes).toEqual([]);
  });
});
