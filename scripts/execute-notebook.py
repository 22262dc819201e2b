"""Execute one Jupyter notebook headless with nbclient; used by scripts/run-notebooks.mjs.

usage: execute-notebook.py IN.ipynb OUT.ipynb KERNEL TIMEOUT_S

Runs every cell in order with the notebook's directory as the kernel's working directory, writes the
executed notebook to OUT (also when a cell fails, so the failing output can be read), and exits 1
after printing the failing cell's source and its outputs (tslab prints errors on stderr, which
nbclient's own message leaves out).
"""
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError


def text_of(output):
    if output.get('output_type') == 'stream':
        return output.get('text', '')
    if output.get('output_type') == 'error':
        return '%s: %s\n%s' % (output.get('ename'), output.get('evalue'), '\n'.join(output.get('traceback', [])))
    data = output.get('data', {})
    return data.get('text/plain', '[%s]' % ', '.join(data.keys()))


def main(argv):
    src, dst, kernel, timeout = argv[1], argv[2], argv[3], int(argv[4])
    nb = nbformat.read(src, as_version=4)
    client = NotebookClient(
        nb, kernel_name=kernel, timeout=timeout, allow_errors=False, record_timing=False,
        resources={'metadata': {'path': os.path.dirname(os.path.abspath(src))}})
    failed = None
    timings = []
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                t0 = time.monotonic()
                try:
                    client.execute_cell(cell, index)
                except (CellExecutionError, CellTimeoutError) as e:
                    failed = (index, cell, e)
                    break
                finally:
                    if cell.cell_type == 'code':
                        timings.append((index, time.monotonic() - t0))
    finally:
        nbformat.write(nb, dst)
    slow = sorted(timings, key=lambda t: -t[1])[:3]
    sys.stderr.write('  slowest cells: %s\n' % ', '.join('#%d %.1f s' % t for t in slow))
    if failed is None:
        return 0
    index, cell, err = failed
    sys.stderr.write('--- cell %d failed:\n%s\n--- its outputs:\n' % (index, cell.source))
    for o in cell.get('outputs', []):
        sys.stderr.write(text_of(o))
    if isinstance(err, CellTimeoutError):
        sys.stderr.write('\n(timed out after %d s)' % timeout)
    sys.stderr.write('\n')
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
