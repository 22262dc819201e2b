/**
 * Reads the SBI benchmark files copied under test/data/sbibm (see test/data/README.md).
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsv } from '../../src/data/csv.js';
import type { Table } from '../../src/data/table.js';

export const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'sbibm');

export function sbibmFile(task: string, file: 'observation' | 'true_parameters' | 'reference_posterior_samples', obs = 1): Table {
  return readCsv(join(DATA, task, `num_observation_${obs}`, `${file}.csv`));
}
