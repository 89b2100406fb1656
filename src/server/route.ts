/** The shape every format's HTTP routes share. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config/config.js';
import type { RepositoryRecord } from '../core/model.js';
import type { RepositoryAction } from '../core/policy-actions.js';
import type { TokenIdentity } from '../operations/tokens.js';
import type { Store } from '../store/store.js';
import type { LiveDelivery } from '../upstream/live-delivery.js';
import type { ReusableResponse } from './response-memo.js';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

/** What a handler needs beyond the request: shared for the server's lifetime. */
export interface ServerDeps {
  store: Store;
  config: Config;
  /** Absolute base URL the clients use, without a trailing slash. */
  baseUrl: string;
  log: (line: string) => void;
  /** Set by the server, which goes on after its answers: work may run behind them. */
  longRunning?: boolean;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: HttpMethod;
  /** The path after /<domain>/<format>/<repo>/, still percent-encoded, no leading slash. */
  rawPath: string;
  query: URLSearchParams;
  domain: string;
  repository: RepositoryRecord;
  /** The repository's endpoint for this format, ending in '/'. */
  endpoint: string;
  /** Who the token speaks for; undefined for anonymous reads. */
  identity?: TokenIdentity;
  deps: ServerDeps;
  /** How long the answer stays right while no index changes; upstream metadata lowers it. */
  freshness: Freshness;
  /** Set while a download may be fed to the client as it arrives (live-download.ts). */
  live?: LiveDelivery;
  /**
   * Offers the answer for identical later requests (same URL, Accept and Host), which then skip
   * the route until `freshness` runs out, the files of the package `about` names change, or
   * any file shared by all packages does (repositories, tokens, policies, package groups). Only
   * for answers that depend on nothing else: not on the caller, the query's side effects, other
   * headers, or other packages' files. Without `about`, the answer depends on no package's
   * files at all (a NuGet service index).
   */
  reuse(response: ReusableResponse, about?: { namespace?: string; name: string }): void;
  /**
   * For a route that has just changed the package `about` names: the remembered answers to
   * `path` (another URL of this repository, relative to the endpoint as rawPath is) that the
   * change ended are worked out again now with `rework`, which answers as that URL's route
   * would, given a context of its own (its own freshness). The next request for them is then
   * answered from memory. Does nothing, and never calls `rework`, when no such answer is
   * remembered; a failing `rework` only means no renewal. Only for answers that depend on
   * neither Accept nor Host: every remembered variant gets the new answer.
   */
  renewAnswers(
    path: string,
    about: { namespace?: string; name: string },
    rework: (context: RequestContext) => Promise<ReusableResponse | undefined>,
  ): Promise<void>;
  /**
   * What the route reads from here on is what it will answer with: changes finished before now
   * (its own writes among them) no longer keep the answer from being reused, and neither does
   * upstream metadata read before now going stale (`freshness` starts over).
   */
  beginAfresh(): void;
  /**
   * Checks one more action than the route's own, for a request whose body decides what it does
   * (an npm document that also removes versions, say). Throws AccessDeniedError as the door does.
   */
  authorize(action: RepositoryAction): Promise<void>;
  /** Whether the caller may also perform `action`, for a write that does less when it may not. */
  may(action: RepositoryAction): Promise<boolean>;
}

export interface Freshness {
  /** Milliseconds since 1970; Infinity when nothing time-limited went into the answer. */
  validUntil: number;
}

export interface Route {
  /** GET routes answer HEAD as well, without a body. */
  method: HttpMethod;
  /** Tested against RequestContext.rawPath. */
  path: RegExp;
  /** Reads may be anonymous when the server allows it; writes always need a token. */
  access: 'read' | 'write';
  /**
   * The permissions-policy action the request needs (a function when it depends on the path,
   * e.g. Maven metadata). Default: ReadFromRepository for reads, PublishPackageVersion for writes.
   */
  action?: RepositoryAction | ((match: RegExpExecArray) => RepositoryAction);
  /**
   * Throws the route's own 413 when the declared Content-Length is over what the route takes,
   * with the check its handler makes before reading the body. Asked before a client waiting for
   * 100 Continue is told to send its body. Default: over server.maxUploadBytes (body.ts).
   */
  refuseDeclaredLength?: (req: IncomingMessage, maxUploadBytes: number) => void;
  /** A handler that answers without waiting on anything need not be async. */
  handle(context: RequestContext, match: RegExpExecArray): Promise<void> | void;
}
