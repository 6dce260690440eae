import { once } from "node:events";
import { Readable } from "node:stream";
import type pg from "pg";

/**
 * `COPY … TO STDOUT` and `COPY … FROM STDIN` over a node-postgres client, as pg "submittables" (the
 * extension point pg-cursor uses): pg hands the COPY protocol messages to the active query object.
 */

/** The parts of pg's wire connection a COPY needs (pg's own types leave the COPY messages out). */
interface CopyConnection {
  readonly stream: NodeJS.ReadableStream & NodeJS.WritableStream & { writableNeedDrain: boolean };
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/** "COPY 123" → 123. */
const rowsOf = (commandTag: string) => Number(/(\d+)$/.exec(commandTag)?.[1] ?? 0);

/** Rows are gathered into blocks this large before they are handed on: one message per row would be slow. */
const BLOCK_BYTES = 256 * 1024;

/**
 * The output of a `COPY … TO STDOUT` as a byte stream. While the reader is behind, the socket is
 * paused, so PostgreSQL waits and memory stays at a few blocks whatever the table's size.
 */
export class CopyOut extends Readable implements pg.Submittable {
  /** Rows the server reported copying; set once the stream has ended. */
  rows = 0;
  private connection: CopyConnection | undefined;
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private filled = 0;

  constructor(private readonly text: string) {
    super({ highWaterMark: 4 * BLOCK_BYTES });
  }

  submit(connection: pg.Connection): void {
    this.connection = connection as unknown as CopyConnection;
    this.connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.destroyed) return;
    // The chunk is a view of pg's receive buffer, which pg reuses: copy it out now.
    const { chunk } = message;
    if (this.filled + chunk.length > this.block.length) this.flushBlock();
    if (chunk.length > this.block.length) {
      this.pushBlock(Buffer.from(chunk));
      return;
    }
    chunk.copy(this.block, this.filled);
    this.filled += chunk.length;
  }

  handleCommandComplete(message: { text: string }): void {
    this.rows = rowsOf(message.text);
  }

  handleReadyForQuery(): void {
    if (this.destroyed) return;
    this.flushBlock();
    this.push(null);
  }

  handleError(error: Error): void {
    this.connection?.stream.resume();
    this.destroy(error);
  }

  override _read(): void {
    this.connection?.stream.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A reader that gave up must not leave the connection paused: closing it would then hang.
    this.connection?.stream.resume();
    callback(error);
  }

  private flushBlock(): void {
    if (this.filled === 0) return;
    const full = this.block.subarray(0, this.filled);
    this.block = Buffer.allocUnsafe(BLOCK_BYTES);
    this.filled = 0;
    this.pushBlock(full);
  }

  private pushBlock(bytes: Buffer): void {
    if (!this.push(bytes)) this.connection?.stream.pause();
  }
}

/**
 * A `COPY … FROM STDIN`: submit it with `client.query(copy)`, `write` the data (any split; each write
 * waits while the socket is backed up), then `end` for the row count. A server error (bad data, a
 * missing table) rejects the pending or next call with PostgreSQL's message.
 */
export class CopyIn implements pg.Submittable {
  private connection: CopyConnection | undefined;
  private failure: Error | undefined;
  private rows = 0;
  private ended = false;
  private readonly started: Promise<void>;
  private readonly finished: Promise<number>;
  private markStarted!: () => void;
  private markStartFailed!: (error: Error) => void;
  private markFinished!: (rows: number) => void;
  private markFinishFailed!: (error: Error) => void;

  constructor(private readonly text: string) {
    this.started = new Promise((resolve, reject) => {
      this.markStarted = resolve;
      this.markStartFailed = reject;
    });
    this.finished = new Promise((resolve, reject) => {
      this.markFinished = resolve;
      this.markFinishFailed = reject;
    });
    // Either may fail before anyone waits on it; the caller sees the error from write, end or abort.
    this.started.catch(() => undefined);
    this.finished.catch(() => undefined);
  }

  submit(connection: pg.Connection): void {
    this.connection = connection as unknown as CopyConnection;
    this.connection.query(this.text);
  }

  handleCopyInResponse(): void {
    this.markStarted();
  }

  handleCopyData(): void {}

  handleCommandComplete(message: { text: string }): void {
    this.rows = rowsOf(message.text);
  }

  handleReadyForQuery(): void {
    this.markFinished(this.rows);
  }

  handleError(error: Error): void {
    this.failure = error;
    this.markStartFailed(error);
    this.markFinishFailed(error);
  }

  async write(chunk: Buffer): Promise<void> {
    await this.started;
    if (this.failure) throw this.failure;
    const connection = this.connection!;
    connection.sendCopyFromChunk(chunk);
    if (connection.stream.writableNeedDrain) await once(connection.stream, "drain");
    if (this.failure) throw this.failure;
  }

  /** Ends the data; resolves to the number of rows stored. */
  async end(): Promise<number> {
    await this.started;
    if (!this.failure && !this.ended) {
      this.ended = true;
      this.connection!.endCopyFrom();
    }
    return this.finished;
  }

  /** Cancels the COPY (nothing of it is stored) and waits until the connection can take a new statement. */
  async abort(reason: string): Promise<void> {
    const started = await this.started.then(
      () => true,
      () => false,
    );
    if (started && !this.failure && !this.ended) {
      this.ended = true;
      this.connection!.sendCopyFail(reason);
    }
    await this.finished.catch(() => undefined);
  }
}
