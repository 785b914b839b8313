/**
 * Where a command's results go: with --json one JSON object per line, otherwise short lines for a
 * person. Always stdout; errors go to stderr through `errorLine` in main.
 */
export class Output {
  constructor(readonly json: boolean) {}

  /** Writes `record` as a JSON line, or `human` as text. */
  emit(record: Record<string, unknown>, human: string): void {
    process.stdout.write(`${this.json ? JSON.stringify(record) : human}\n`);
  }
}
