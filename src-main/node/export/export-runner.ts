/** One export at a time per open archive, cancellable; progress goes out as `exportProgress` events. */
import { ArchiveError, type ExportProgress, type ExportRequest, type ExportResult } from '../../shared/archive-api';
import type { ArchiveService } from '../archive/archive-service';
import type { ListResults } from './export-records';
import { writeExport } from './write-export';

export class ExportRunner {
  private running: AbortController | null = null;

  constructor(
    private readonly service: ArchiveService,
    private readonly onProgress: (progress: ExportProgress) => void,
    private readonly list?: ListResults,
  ) {}

  get isExporting(): boolean {
    return this.running !== null;
  }

  /** BUSY while another export runs; the caller has chosen `target` (and whether it may replace a file there). */
  async run(request: ExportRequest, target: string, overwrite: boolean): Promise<ExportResult> {
    if (this.running) throw new ArchiveError('BUSY', 'an export is already running; wait for it or cancel it');
    const controller = new AbortController();
    this.running = controller;
    try {
      return await writeExport(this.service, request, target, { overwrite, signal: controller.signal, onProgress: this.onProgress, ...(this.list ? { list: this.list } : {}) });
    } finally {
      this.running = null;
    }
  }

  /** Reserves the one export slot before a save dialog opens, so that two dialogs cannot race. */
  checkIdle(): void {
    if (this.running) throw new ArchiveError('BUSY', 'an export is already running; wait for it or cancel it');
  }

  cancel(): void {
    this.running?.abort();
  }
}
