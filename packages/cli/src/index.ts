export { main } from './main.ts';
export type { MainIO } from './main.ts';
