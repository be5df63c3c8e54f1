// The record system's public surface: open a store, and the record types it reads and writes.
export { openStore, type StoreOptions, type SqlStore } from './store';
export type { Db } from './db';
export type * from './types';
