/**
 * Options every in-process test server gets. A small pool of temp files (the server's default
 * is 256, src/store/temp-file-pool.ts): enough that the tests' writes go through pooled files
 * and, once it is empty, through new ones, without each server making 256 files it never uses.
 */
export const TEST_SERVER_OPTIONS = { tempFilePoolSize: 4 } as const;
