// Globals that builds made for browsers look for before they look at Node's: `self` (the global
// of a window or worker) and `location` (the page's address). The same for both engines of a
// comparison, and set before the library loads, so they only make the browser build loadable.

export function installBrowserGlobals(scriptUrl: URL): void {
  const global = globalThis as Record<string, unknown>;
  if (global['self'] === undefined) Object.defineProperty(globalThis, 'self', { value: globalThis, writable: true, configurable: true });
  if (global['location'] === undefined) Object.defineProperty(globalThis, 'location', { value: scriptUrl, writable: true, configurable: true });
}
