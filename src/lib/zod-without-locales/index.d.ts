// Types of the Worker bundle's `zod` stand-in: zod's own (see external.js).
export * from 'zod';
export { z as default, z } from 'zod';
