// The memory-lifetime tests again with the host's memories switched off, so that every memory
// uses the reserved (mmap) backing: its buffers must keep the reservation alive just the same.
process.env['FLINT_HOST_MEMORY'] = '0';
await import('./memory-lifetime.test.ts');
export {};
