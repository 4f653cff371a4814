/**
 * A progress bar on stderr for long work (bulk verification). Draws only on a terminal; elsewhere it
 * prints nothing until `done`, so logs stay clean.
 */
export class ProgressBar {
  private last = 0;
  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly write: (text: string) => void,
    private readonly enabled: boolean,
  ) {}

  /** Reports `n` items done; redraws at most every 1 %. */
  update(n: number): void {
    if (!this.enabled || this.total === 0) return;
    const pct = Math.floor((n / this.total) * 100);
    if (pct === this.last && n !== this.total) return;
    this.last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    this.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% (${n}/${this.total})`);
  }

  done(): void {
    if (this.enabled && this.total > 0) this.write('\n');
  }
}
