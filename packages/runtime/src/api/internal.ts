// The constructors' internal path: the JS API makes objects for engine objects that already
// exist (a memory a module exported, a global of an instance) through the public constructor,
// which recognises this token as its first argument. The token is never exported from the
// package, so user code cannot reach that path, and every object still gets its private slot
// from the constructor (which is what makes brand checks work).
export const WRAP: unique symbol = Symbol('WebAssembly object for an existing engine object');
