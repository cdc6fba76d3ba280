import { afterEach } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';

/**
 * For the calling `describe` (or file): a maker of ArchiveServices that are all closed after each test, so a
 * failing test leaves no worker thread or open index behind.
 */
export function closedAfterEach(): (options?: ConstructorParameters<typeof ArchiveService>[0]) => ArchiveService {
  const services: ArchiveService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });
  return (options = {}) => {
    const service = new ArchiveService(options);
    services.push(service);
    return service;
  };
}
