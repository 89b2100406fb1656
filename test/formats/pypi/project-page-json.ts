/** A project page of the JSON simple API (PEP 691), as the tests read it. */
export interface ProjectPageJson {
  meta: Record<string, string>;
  name: string;
  versions: string[];
  files: ProjectFileJson[];
}

export interface ProjectFileJson {
  filename: string;
  hashes: Record<string, string>;
  yanked: unknown;
  'requires-python'?: string;
  'core-metadata'?: unknown;
  size?: number;
  [field: string]: unknown;
}
