/**
 * Whether an ISO 8601 date-time (as `z.iso.datetime({ offset: true })` accepts it) is one PostgreSQL
 * can read as a timestamptz: a year from 1 to 9999 and an offset within ±14:00, the range of the
 * world's time zones (PostgreSQL refuses year 0 and offsets of 16 hours or more; zod allows both).
 */
export function storableIsoTime(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(text);
  const minutes = offset ? Number(offset[2]) * 60 + Number(offset[3]) : 0;
  return year >= 1 && minutes <= 14 * 60;
}

export const STORABLE_ISO_TIME = "a year from 0001 to 9999 and an offset within ±14:00";
