/**
 * The dossier page's script is bundled at build time into page-script.generated.ts (the app cannot run esbuild):
 * this fails when the committed bundle is not what its sources build today. Fix: `npx tsx src-main/node/export/dossier/page-bundle.ts`.
 */
import { describe, expect, it } from 'vitest';
import { bundleDossierPage, generatedModule } from '../../src-main/node/export/dossier/page-bundle';
import { DOSSIER_PAGE_SCRIPT } from '../../src-main/node/export/dossier/page-script.generated';

describe('the dossier page script', () => {
  it('is the bundle of its sources as they are now', async () => {
    const fresh = await bundleDossierPage();
    expect(DOSSIER_PAGE_SCRIPT === fresh, 'page-script.generated.ts is stale: run npx tsx src-main/node/export/dossier/page-bundle.ts').toBe(true);
    expect(generatedModule(fresh)).toContain('export const DOSSIER_PAGE_SCRIPT = "');
  });
});
