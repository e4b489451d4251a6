// Finds the `.wast` scripts of the testsuite and names their groups: the Wasm 3.0 core at the
// root, each proposal under `proposals/` on its own, then `legacy/` and `custom/`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ScriptFile {
  /** Path relative to the testsuite root, `/`-separated. */
  readonly file: string;
  readonly absolutePath: string;
  /** `core`, `proposals/<name>`, `legacy`, `custom`, or the top folder's name. */
  readonly group: string;
}

export function groupOf(relativePath: string): string {
  const parts = relativePath.split('/');
  if (parts.length === 1) return 'core';
  if (parts[0] === 'proposals' && parts.length >= 3) return `proposals/${parts[1]}`;
  return parts[0]!;
}

/** Every `.wast` under `root`, sorted by group (core first) then path, filtered by `filter` globs. */
export function discoverScripts(root: string, filters: readonly string[] = []): ScriptFile[] {
  const matchers = filters.map(globToRegExp);
  const files: ScriptFile[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(join(dir, entry.name), relative);
      else if (entry.name.endsWith('.wast') && matches(relative, matchers)) {
        files.push({ file: relative, absolutePath: join(dir, entry.name), group: groupOf(relative) });
      }
    }
  };
  walk(root, '');
  const rank = (group: string): number => (group === 'core' ? 0 : group.startsWith('proposals/') ? 1 : 2);
  return files.sort((a, b) => rank(a.group) - rank(b.group) || a.group.localeCompare(b.group) || a.file.localeCompare(b.file));
}

function matches(relative: string, matchers: readonly RegExp[]): boolean {
  if (matchers.length === 0) return true;
  const base = relative.slice(relative.lastIndexOf('/') + 1);
  return matchers.some((m) => m.test(relative) || m.test(base));
}

/** `*` matches within one path segment, `**` across segments, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
