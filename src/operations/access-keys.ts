/**
 * Access keys for the CodeArtifact API (docs/api.md): an access key ID and a secret, each pair
 * speaking for a principal as a token does. SigV4 signs with the secret itself, so the server
 * must keep it: the secrets live in one file of mode 0600 under the root, and are shown once,
 * when the key is made. Listing shows IDs only.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ResourceNotFoundError, ValidationError } from '../errors.js';
import { readJsonFile, writeJsonFileAtomic } from '../store/json-file.js';
import { withFileLock } from '../store/lock.js';
import type { Store } from '../store/store.js';

export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  principal: string;
  createdTime: string;
}

interface AccessKeysFile {
  keys: AccessKeyRecord[];
}

// IAM's user name characters, as for token principals, so a permissions policy can name it.
const PRINCIPAL_NAME = /^[\w+=,.@-]{1,64}$/;
// IAM's shape: "AKIA" and 16 characters of [A-Z2-7]; secrets are 40 characters of base64.
const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const KEY_ID = /^AKIA[A-Z2-7]{16}$/;

export function accessKeysFile(store: Pick<Store, 'root'>): string {
  return path.join(store.root, 'access-keys.json');
}

export async function readAccessKeys(store: Pick<Store, 'root'>): Promise<AccessKeyRecord[]> {
  return (await readJsonFile<AccessKeysFile>(accessKeysFile(store)))?.keys ?? [];
}

async function updateAccessKeys(store: Store, mutate: (keys: AccessKeyRecord[]) => AccessKeyRecord[]): Promise<void> {
  const file = accessKeysFile(store);
  await withFileLock(
    file,
    async () => {
      const keys = mutate((await readJsonFile<AccessKeysFile>(file))?.keys ?? []);
      await writeJsonFileAtomic(file, { keys }, 0o600);
    },
    { holderDir: path.join(store.root, 'tmp') },
  );
}

function newKeyId(): string {
  const bytes = randomBytes(16);
  return `AKIA${[...bytes].map((byte) => KEY_ID_ALPHABET[byte % 32]).join('')}`;
}

/** IAM's AccessKey shape; the secret appears here and nowhere else. */
export async function createAccessKey(store: Store, input: { principal: string; now?: Date }) {
  if (!PRINCIPAL_NAME.test(input.principal)) {
    throw new ValidationError(`--principal ${JSON.stringify(input.principal.slice(0, 80))} is not a principal name: use 1 to 64 letters, digits and +=,.@_-.`);
  }
  const record: AccessKeyRecord = {
    accessKeyId: newKeyId(),
    secretAccessKey: randomBytes(30).toString('base64'),
    principal: input.principal,
    createdTime: (input.now ?? new Date()).toISOString(),
  };
  await updateAccessKeys(store, (keys) => [...keys, record]);
  return {
    AccessKey: {
      UserName: record.principal,
      AccessKeyId: record.accessKeyId,
      Status: 'Active',
      SecretAccessKey: record.secretAccessKey,
      CreateDate: record.createdTime,
    },
  };
}

export async function listAccessKeys(store: Store, input: { principal?: string } = {}) {
  const keys = (await readAccessKeys(store)).filter((key) => input.principal === undefined || key.principal === input.principal);
  return {
    AccessKeyMetadata: keys.map((key) => ({ UserName: key.principal, AccessKeyId: key.accessKeyId, Status: 'Active', CreateDate: key.createdTime })),
  };
}

export async function deleteAccessKey(store: Store, accessKeyId: string): Promise<undefined> {
  if (!KEY_ID.test(accessKeyId))
    throw new ValidationError(`--access-key-id ${JSON.stringify(accessKeyId.slice(0, 40))} is not an access key ID (AKIA and 16 characters).`);
  let found = false;
  await updateAccessKeys(store, (keys) => {
    found = keys.some((key) => key.accessKeyId === accessKeyId);
    return keys.filter((key) => key.accessKeyId !== accessKeyId);
  });
  if (!found) throw new ResourceNotFoundError(`There is no access key ${accessKeyId}.`, { hint: 'List them with `artifact-cli list-access-keys`.' });
  return undefined;
}

/** The first of a principal's keys, for `login --tool aws` to reuse. */
export async function findAccessKeyOf(store: Store, principal: string): Promise<AccessKeyRecord | undefined> {
  return (await readAccessKeys(store)).find((key) => key.principal === principal);
}
