import { once } from "node:events";
import type pg from "pg";
import { type CopyStreamQuery, from as copyFrom } from "pg-copy-streams";

/**
 * A `COPY … FROM STDIN` (pg-copy-streams) fed from several sources in turn, as promises: `write`
 * waits while the connection is backed up, `end` resolves to the rows stored, `abort` cancels.
 * PostgreSQL refusing the data rejects the pending or next call with its message.
 */
export class CopyIn {
  private readonly stream: CopyStreamQuery;
  private readonly done: Promise<void>;
  private failure: Error | undefined;
  private settled = false;

  constructor(client: pg.Client, text: string) {
    // No buffering in the stream (each write waits for the last to reach the socket): pg-copy-streams
    // throws an uncaught TypeError when PostgreSQL refuses the data while writes are still buffered
    // (brianc/node-pg-copy-streams#171).
    this.stream = client.query(copyFrom(text, { highWaterMark: 0 }));
    this.done = new Promise((resolve, reject) => {
      this.stream.once("finish", () => {
        this.settled = true;
        resolve();
      });
      this.stream.once("error", (error: Error) => {
        this.settled = true;
        this.failure = error;
        reject(error);
      });
    });
    this.done.catch(() => undefined);
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(chunk)) await Promise.race([once(this.stream, "drain"), this.done]);
    if (this.failure) throw this.failure;
  }

  async end(): Promise<number> {
    if (!this.settled) this.stream.end();
    await this.done;
    return this.stream.rowCount;
  }

  /** Sends CopyFail (nothing of this COPY is stored) and waits until the connection takes statements again. */
  async abort(reason: string): Promise<void> {
    // After PostgreSQL's error the COPY is over already; destroying the stream then would send to a connection it let go of.
    if (!this.settled) this.stream.destroy(new Error(reason));
    await this.done.catch(() => undefined);
  }
}
