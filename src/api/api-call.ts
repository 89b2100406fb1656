/** What an operation handler gets besides its input, and the shape of the table of handlers. */
import type { Config } from '../config/config.js';
import type { Store } from '../store/store.js';

export interface ApiCall {
  store: Store;
  /** The server's settings, with the public URL the caller reached us by. */
  config: Config;
  /** The principal the request's access key speaks for. */
  principal: string;
}

// Inputs are checked against the model before a handler sees them (parse-input.ts), so a
// handler reads its members by the model's names and types.
export type Input = Record<string, any>;

export type ApiHandler = (input: Input, call: ApiCall) => Promise<object | undefined>;
