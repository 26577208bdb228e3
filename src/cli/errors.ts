/** Command-line failures with a stable reason code, printed as `civreg: <code>: <message>`, exit code 2. */
export class CliError extends Error {
  override name = 'CliError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export type Flags = Record<string, string | boolean | undefined>;
