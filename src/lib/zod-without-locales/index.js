// Stands in for `zod` in the Worker bundle (wrangler.toml [alias]); see external.js for why.
import * as z from './external.js';

export * from './external.js';
export { z, z as default };
