// The CPU features generated code may use, as one canonical string: part of every code-cache key
// (serialize.ts), so that code compiled to use an optional instruction set extension never loads
// on a CPU, or in an engine configured, without it.
//
// Temporary: no backend uses optional CPU features yet, so every engine's set is empty (''). When
// the backend contract carries the per-compile CPU feature set (in progress on another branch),
// this returns that set's canonical key, and nothing else changes: every cache path already
// includes it.

import type { Backend } from '@flint/backend';

export function codeCpuFeatures(_backend: Backend): string {
  return '';
}
