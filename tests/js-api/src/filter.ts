// Which test files a run takes (`--filter`).

/** `*` matches within a path segment, `**` across segments; a pattern without `*` matches as a substring. */
export function matchesFilter(file: string, pattern: string): boolean {
  if (!pattern.includes('*')) return file.includes(pattern);
  const source = pattern.split('**').map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('.*');
  return new RegExp(`^${source}$`).test(file);
}
