// Every migration, in order. Listed explicitly so the app, tests and the CLI load the same set.
export const ALL_MIGRATIONS: Function[] = [];
