/**
 * The operations word their errors for the CLI, naming flags (`--next-token is not a token this
 * command returned`); over the API the caller knows the input members, so each flag of the
 * operation's input becomes its member's name (`nextToken`).
 */
import { shapeOf } from './model.js';

/** The AWS CLI's flag for a member: packageVersion -> package-version, assetSHA256 -> asset-sha256. */
export function flagOfMember(member: string): string {
  return member
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

export function inMemberWords(message: string, inputShape: string | undefined): string {
  if (!inputShape) return message;
  const memberOf = new Map(Object.keys(shapeOf(inputShape).members ?? {}).map((member) => [flagOfMember(member), member]));
  // Only a flag standing on its own: "--" inside a quoted name (a--b) is left alone.
  return message.replace(/(?<![\w-])--([a-z][a-z0-9-]*)/g, (flag: string, name: string) => memberOf.get(name) ?? flag);
}
