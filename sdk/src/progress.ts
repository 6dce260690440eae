/** Transfer progress on stderr: a redrawn bar on a TTY, nothing until the one-line summary otherwise. */

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export class Progress {
  private readonly started: number;
  private lastDraw = 0;
  private drawn = false;
  bytes = 0;
  total: number | undefined;

  constructor(
    private readonly label: string,
    private readonly sink: ProgressSink = process.stderr,
    private readonly now: () => number = Date.now,
    /** Draw only if the transfer lasts longer than this (ms). */
    private readonly delayMs = 300,
  ) {
    this.started = now();
  }

  get enabled(): boolean {
    return Boolean(this.sink.isTTY);
  }

  update(bytes: number, total?: number, detail = ""): void {
    this.bytes = bytes;
    if (total !== undefined) this.total = total;
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.started < this.delayMs || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.drawn = true;
    this.sink.write(`\r\x1b[K${this.line(detail)}`);
  }

  line(detail = ""): string {
    const elapsed = Math.max(1, this.now() - this.started);
    const rate = `${formatBytes((this.bytes * 1000) / elapsed)}/s`;
    const width = Math.max(10, Math.min(30, (this.sink.columns ?? 80) - 60));
    if (this.total) {
      const ratio = Math.min(1, this.bytes / this.total);
      const filled = Math.round(ratio * width);
      const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
      const text = `${this.label} ${bar} ${(ratio * 100).toFixed(0).padStart(3)}% ${formatBytes(this.bytes)}/${formatBytes(this.total)} ${rate}`;
      return detail ? `${text} ${detail}` : text;
    }
    return `${this.label} ${formatBytes(this.bytes)} ${rate}${detail ? ` ${detail}` : ""}`;
  }

  /** Clears the bar (the caller prints its one-line summary). */
  finish(): void {
    if (this.drawn) this.sink.write("\r\x1b[K");
    this.drawn = false;
  }

  elapsedMs(): number {
    return this.now() - this.started;
  }
}
