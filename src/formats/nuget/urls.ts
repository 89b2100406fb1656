/**
 * Every URL this format hands to clients, absolute and built from the repository's endpoint.
 * Ids and versions in URLs are lowercased, as the client builds them itself from the
 * PackageBaseAddress. The route patterns in routes.ts match these shapes.
 */
export class NuGetUrls {
  constructor(private readonly endpoint: string) {}

  get serviceIndex(): string {
    return `${this.endpoint}v3/index.json`;
  }

  get packageBase(): string {
    return `${this.endpoint}v3/package/`;
  }

  get registrationBase(): string {
    return `${this.endpoint}v3/registration/`;
  }

  get search(): string {
    return `${this.endpoint}v3/search`;
  }

  get autocomplete(): string {
    return `${this.endpoint}v3/autocomplete`;
  }

  /** Also what the client derives from a bare host source ("{base}/api/v2/package"). */
  get publish(): string {
    return `${this.endpoint}api/v2/package`;
  }

  versionsIndex(name: string): string {
    return `${this.packageBase}${name}/index.json`;
  }

  nupkg(name: string, key: string): string {
    return `${this.packageBase}${name}/${key}/${name}.${key}.nupkg`;
  }

  nuspec(name: string, key: string): string {
    return `${this.packageBase}${name}/${key}/${name}.nuspec`;
  }

  registrationIndex(name: string): string {
    return `${this.registrationBase}${name}/index.json`;
  }

  registrationPage(name: string, lower: string, upper: string): string {
    return `${this.registrationBase}${name}/page/${lower}/${upper}.json`;
  }

  registrationLeaf(name: string, key: string): string {
    return `${this.registrationBase}${name}/${key}.json`;
  }

  catalogEntry(name: string, key: string): string {
    return `${this.endpoint}v3/catalog/${name}/${key}.json`;
  }
}
