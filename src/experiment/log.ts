/** Progress lines of the experiment on stderr (silenced by `quiet` or MFNPE_QUIET). */
export function log(quiet: boolean, msg: string): void {
  if (!quiet && !process.env.MFNPE_QUIET) process.stderr.write(`${msg}\n`);
}
