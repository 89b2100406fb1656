/**
 * Symbolic links inside uploaded archives (npm tarballs, PyPI sdists). A link's target is
 * relative to the link's folder; followed from there it must stay inside the archive, or an
 * installer that extracts it writes through it to somewhere else.
 */
export function isSafeLinkTarget(linkPath: string, target: string): boolean {
  const normalized = target.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || normalized.includes('\0')) return false;
  const parts = linkPath
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .slice(0, -1);
  for (const part of normalized.split('/')) {
    if (part === '..') {
      if (parts.length === 0) return false;
      parts.pop();
    } else if (part !== '' && part !== '.') parts.push(part);
  }
  return true;
}

/**
 * A device or FIFO entry. No package has a use for one, and an installer that extracts as root
 * (Python's tarfile before its data filter, for one) makes the node it names.
 */
export function isDeviceOrFifo(entryType: string): boolean {
  return entryType === 'CharacterDevice' || entryType === 'BlockDevice' || entryType === 'FIFO';
}
