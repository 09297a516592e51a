// Every TypeORM entity, listed once for the app and the migration CLI.
export const ALL_ENTITIES: Function[] = [];
