/** The throttler's and the blocked-IP memory's key: `<route>|<client key>` (common/http/client-key.ts). */
export function routeClientKey(route: string, client: string): string {
  return `${route}|${client}`;
}
