/**
 * TypeORM's postgres driver answers `query()` with the rows for SELECT/INSERT, but with
 * `[rows, affectedCount]` for UPDATE and DELETE. This gives the rows either way.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

/** The affected-row count of an UPDATE or DELETE run through `query()`. */
export function affectedOf(result: unknown): number {
  return Array.isArray(result) && result.length === 2 && typeof result[1] === 'number'
    ? result[1]
    : 0;
}
