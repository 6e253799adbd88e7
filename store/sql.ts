/** Pieces of the hand-written statements (the one-statement readers). */

/** A timestamp column as ISO-8601 in UTC, as `Date.toISOString()` writes it: the columns hold UTC without a zone. */
export const isoSql = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
