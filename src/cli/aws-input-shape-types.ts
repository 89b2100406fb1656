/** How the service model describes an input member, as far as the CLI needs it. */
export type InputShape =
  | 'string'
  | 'integer'
  | 'long'
  | 'boolean'
  | 'blob'
  | { readonly enum: readonly string[] }
  | { readonly list: InputShape }
  | { readonly map: InputShape; readonly key: InputShape }
  | { readonly structure: Readonly<Record<string, InputShape>> };

export interface InputMember {
  /** The member name in the API and in --cli-input-json, e.g. assetSHA256. */
  readonly name: string;
  /** The AWS CLI flag for it, e.g. --asset-sha256. */
  readonly flag: string;
  readonly shape: InputShape;
}
