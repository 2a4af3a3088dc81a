/**
 * The one door to zod: every schema in the tree imports `z` from here, so the validation library is a single
 * swap point (eslint's no-restricted-imports keeps `zod` itself inside src/schema-kit).
 */
export * as z from 'zod';
