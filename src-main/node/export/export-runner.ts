/** One export at a time per open archive, cancellable; progress goes out as `exportProgress` events. */
import { ArchiveError, type ExportProgress, type ExportRequest, type ExportResult } from '../../shared/archive-api';
import type { ArchiveService } from '../archive/archive-service';
import type { PathFilter } from './export-records';
import { writeExport } from './write-export';

/** The one export slot, held from before a save dialog opens until the export ends or the dialog is cancelled. */
export interface ExportSlot {
  /** Writes the export in this slot, then frees it. */
  run(request: ExportRequest, target: string, overwrite: boolean): Promise<ExportResult>;
  /** Frees the slot without exporting (the dialog was cancelled, or failed); harmless after `run`. */
  release(): void;
}

const busy = () => new ArchiveError('BUSY', 'an export is already running; wait for it or cancel it');

export class ExportRunner {
  private running: AbortController | null = null;

  constructor(
    private readonly service: ArchiveService,
    private readonly onProgress: (progress: ExportProgress) => void,
    private readonly filter?: PathFilter,
  ) {}

  get isExporting(): boolean {
    return this.running !== null;
  }

  /**
   * Takes the one export slot, BUSY if it is taken: the desktop reserves it before its save dialog opens, so a
   * second export is refused at once instead of after its person has chosen a place.
   */
  reserve(): ExportSlot {
    if (this.running) throw busy();
    const controller = new AbortController();
    this.running = controller;
    let used = false;
    const release = () => {
      if (this.running === controller) this.running = null;
    };
    return {
      run: async (request, target, overwrite) => {
        if (used) throw new ArchiveError('INTERNAL', 'an export slot runs one export');
        used = true;
        try {
          return await writeExport(this.service, request, target, { overwrite, signal: controller.signal, onProgress: this.onProgress, ...(this.filter ? { filter: this.filter } : {}) });
        } finally {
          release();
        }
      },
      release,
    };
  }

  /** BUSY while another export runs; the caller has chosen `target` (and whether it may replace a file there). */
  async run(request: ExportRequest, target: string, overwrite: boolean): Promise<ExportResult> {
    return this.reserve().run(request, target, overwrite);
  }

  cancel(): void {
    this.running?.abort();
  }
}
