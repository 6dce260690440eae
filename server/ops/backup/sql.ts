/** A quoted SQL identifier ("Run", "_prisma_migrations"). */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Session settings under which COPY's CSV is the same text on the way out and the way in, whatever
 * the server's or the client's defaults: ISO dates in UTC, floats that round-trip exactly.
 */
export const COPY_SETTINGS = [
  "SET LOCAL client_encoding = 'UTF8'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL extra_float_digits = 1",
  "SET LOCAL bytea_output = 'hex'",
  // A backup or restore reads or writes whole tables; the app's per-statement limit does not apply.
  "SET LOCAL statement_timeout = 0",
];

/** The tables of the public schema with their stored (not generated) columns in order; Prisma's bookkeeping excluded. */
export const TABLES_QUERY = `
  SELECT c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '_prisma_migrations'
  GROUP BY c.relname
  ORDER BY c.relname`;

export const SEQUENCES_QUERY = `
  SELECT sequencename AS name, last_value::text AS value
  FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename`;
