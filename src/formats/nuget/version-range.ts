/**
 * Dependency version ranges in NuGet's interval notation. A nuspec may write "1.0" (meaning
 * ">= 1.0"), "[1.0]", "(1.0,2.0]" and so on; registration documents show them normalised, e.g.
 * "[1.0.0, )", which is what the client expects to read back.
 */
import { formatNuGetVersion, isSemVer2, parseNuGetVersion, type NuGetVersion } from './nuget-version.js';

export interface NuGetRange {
  min?: NuGetVersion;
  minInclusive: boolean;
  max?: NuGetVersion;
  maxInclusive: boolean;
}

/** Parses a range, or returns undefined when it is not one NuGet would read. */
export function parseNuGetRange(raw: string): NuGetRange | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  const first = text[0];
  const last = text[text.length - 1];
  if (first !== '[' && first !== '(') {
    const version = parseNuGetVersion(text);
    return version ? { min: version, minInclusive: true, maxInclusive: false } : undefined;
  }
  if (last !== ']' && last !== ')') return undefined;
  const inner = text.slice(1, -1).split(',');
  if (inner.length === 1) {
    // "[1.0]" pins one version; "(1.0)" means nothing.
    const version = parseNuGetVersion(inner[0]);
    if (!version || first !== '[' || last !== ']') return undefined;
    return { min: version, minInclusive: true, max: version, maxInclusive: true };
  }
  if (inner.length !== 2) return undefined;
  const [minText, maxText] = inner.map((part) => part.trim());
  if (!minText && !maxText) return undefined;
  const min = minText ? parseNuGetVersion(minText) : undefined;
  const max = maxText ? parseNuGetVersion(maxText) : undefined;
  if ((minText && !min) || (maxText && !max)) return undefined;
  return { min, minInclusive: first === '[', max, maxInclusive: last === ']' };
}

/** The normalised notation NuGet prints: "[1.0.0, )", "[1.0.0, 2.0.0)", "[1.2.3]". */
function formatNuGetRange(range: NuGetRange): string {
  const min = range.min ? formatNuGetVersion(range.min) : '';
  const max = range.max ? formatNuGetVersion(range.max) : '';
  if (range.min && range.max && range.minInclusive && range.maxInclusive && min === max) return `[${min}]`;
  return `${range.minInclusive && range.min ? '[' : '('}${min}, ${max}${range.maxInclusive && range.max ? ']' : ')'}`;
}

/** The range as the registration shows it; text that does not parse is passed through as it is. */
export function normalizeRangeText(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const range = parseNuGetRange(raw);
  return range ? formatNuGetRange(range) : raw.trim();
}

export function rangeUsesSemVer2(raw: string | undefined): boolean {
  const range = raw === undefined ? undefined : parseNuGetRange(raw);
  return Boolean(range && ((range.min && isSemVer2(range.min)) || (range.max && isSemVer2(range.max))));
}
