/**
 * The archive itself is unusable (damaged, cut short, foreign, tampered with); the message completes
 * "<file> cannot be restored: …".
 */
export class ArchiveError extends Error {}
