import pg from "pg";
import { poolConfig } from "@/server/db/connection";
import { INVALIDATION_CHANNEL, decodeInvalidation, type Invalidation } from "./messages";

/** A cache of data that other processes may change: it evicts what a change names, or everything. */
export interface InvalidationSubscriber {
  evict(change: Invalidation): void;
  /** Changes may have been missed (the listening connection was lost): forget everything. */
  clear(): void;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

interface ListenerState {
  subscribers: Set<InvalidationSubscriber>;
  /** The LISTEN connection, once it is being opened; undefined while waiting to retry, or stopped. */
  client?: pg.Client;
  listening: boolean;
  running: boolean;
  /** Bumped by every notification and every lost connection; see `cacheGeneration`. */
  generation: number;
  failures: number;
  retry?: NodeJS.Timeout;
}

/**
 * One listener per process, on globalThis: Tally's HTTP server and the Next.js bundle it serves load
 * their own copies of this module, and both must share the one connection and every cache.
 */
const globalForListener = globalThis as unknown as { tallyInvalidationListener?: ListenerState };
const state: ListenerState = (globalForListener.tallyInvalidationListener ??= {
  subscribers: new Set(),
  listening: false,
  running: false,
  generation: 0,
  failures: 0,
});

export function subscribeToInvalidations(subscriber: InvalidationSubscriber): () => void {
  state.subscribers.add(subscriber);
  return () => state.subscribers.delete(subscriber);
}

export function dispatch(change: Invalidation | null): void {
  for (const subscriber of state.subscribers) {
    if (change) subscriber.evict(change);
    else subscriber.clear();
  }
}

/**
 * What a cache compares before and after loading an entry from the database: it may keep the entry
 * only if both are the same number. null while this process is not listening (starting, or
 * reconnecting), when nothing may be cached because a change would go unheard.
 */
export function cacheGeneration(): number | null {
  return state.listening ? state.generation : null;
}

/** Opens the LISTEN connection unless it is open or opening. Safe to call on every request. */
export function startInvalidationListener(): void {
  if (state.running) return;
  state.running = true;
  void connect();
}

export async function stopInvalidationListener(): Promise<void> {
  state.running = false;
  clearTimeout(state.retry);
  const client = state.client;
  state.client = undefined;
  state.listening = false;
  state.generation++;
  await client?.end().catch(() => undefined);
}

async function connect(): Promise<void> {
  let client: pg.Client;
  try {
    client = new pg.Client({ ...poolConfig(), application_name: `tally-cache-invalidation ${process.pid}` });
  } catch (error) {
    console.error(`Cache invalidation listener cannot start: ${error instanceof Error ? error.message : String(error)}`);
    retryLater();
    return;
  }
  state.client = client;
  client.on("notification", (message) => {
    if (message.channel !== INVALIDATION_CHANNEL) return;
    state.generation++;
    dispatch(decodeInvalidation(message.payload));
  });
  client.on("error", (error) => lost(client, error));
  client.on("end", () => lost(client));
  try {
    await client.connect();
    await client.query(`LISTEN ${INVALIDATION_CHANNEL}`);
  } catch (error) {
    lost(client, error);
    return;
  }
  if (state.client !== client) {
    // Stopped while connecting.
    await client.end().catch(() => undefined);
    return;
  }
  state.failures = 0;
  state.generation++;
  state.listening = true;
  // Whatever was cached before now may have changed unheard.
  dispatch(null);
}

/** Forgets every cache (changes may go unheard until the next connection) and retries with backoff. */
function lost(client: pg.Client, error?: unknown): void {
  if (state.client !== client) return;
  state.client = undefined;
  if (state.listening) {
    const reason = error instanceof Error ? error.message : "connection closed";
    console.error(`Cache invalidation listener lost its connection (${reason}); reconnecting`);
  }
  state.listening = false;
  state.generation++;
  dispatch(null);
  void client.end().catch(() => undefined);
  retryLater();
}

function retryLater(): void {
  if (!state.running) return;
  const delay = Math.min(FIRST_RETRY_MS * 2 ** state.failures, MAX_RETRY_MS);
  state.failures++;
  state.retry = setTimeout(() => void connect(), delay).unref();
}
