/**
 * Bounds on one tRPC request over HTTP, shared by the server (which refuses more) and the web app's
 * client (which splits its batches to fit). The web app's inputs are small: a run note, at most
 * 8,000 characters, is the largest.
 */
export const TRPC_MAX_BATCH_SIZE = 20;
export const TRPC_MAX_BODY_BYTES = 1024 * 1024;
