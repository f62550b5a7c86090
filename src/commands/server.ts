// server commands (family file; see src/commands/index.ts).
import type { Handler } from './table.js';

export const handlers: Record<string, Handler> = {};
