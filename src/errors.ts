/**
 * Errors of the ground floor: any layer may throw them, only `cli/` maps them to exit codes.
 */

/**
 * Bad input from the user (a flag value, a file, a setting): the message is one line that names the
 * bad value. The command line prints it without a stack trace and exits with code 2.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
