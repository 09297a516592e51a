export const fmtInt = (n: number): string => n.toLocaleString('en-US');

export const fmtRate = (r: number | null): string =>
  r === null ? '—' : `${(r * 100).toFixed(r === 1 || r === 0 ? 0 : 1)}%`;

export const fmtMs = (ms: number | null): string => (ms === null ? '—' : `${ms.toFixed(0)} ms`);

export function fmtTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { hour12: false });
}

/** "4m 05s" until `iso`, or "expired". */
export function timeLeft(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms) || ms <= 0) return 'expired';
  const s = Math.ceil(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** A datetime-local value (local time) as ISO 8601, or undefined when empty or invalid. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
