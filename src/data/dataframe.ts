/**
 * The lazy adapter of danfojs (results tables): loaded on first use, so modules that never write a
 * summary table do not pay its start-up cost (it loads TensorFlow.js internally).
 */
export type Danfo = typeof import('danfojs-node');

let loading: Promise<Danfo> | null = null;

/** The danfojs module, imported once. */
export function getDanfo(): Promise<Danfo> {
  if (!loading) loading = import('danfojs-node');
  return loading;
}
