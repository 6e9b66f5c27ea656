// The in-browser models as the picker shows them: the variant this GPU would run, what it needs,
// and whether it is likely to fit.
import { defaultModel, fit, type CatalogModel, type Fit } from '../engines/catalog';
import type { GpuReport } from '../engines/reports';

export interface ModelChoice {
  id: string;
  label: string;
  vramMB: number;
  downloadMB: number;
  /** null before the preflight has run. */
  fit: Fit | null;
  thinking: boolean;
}

export function modelChoices(
  models: readonly CatalogModel[],
  report: GpuReport | null,
  deviceMemoryGB?: number,
): ModelChoice[] {
  const quantization = report?.quantization ?? 'q4f16_1';
  return models.map((model) => {
    const variant = model.variants[quantization];
    return {
      id: variant.modelId,
      label: model.label,
      vramMB: variant.vramMB,
      downloadMB: variant.downloadMB,
      fit: report ? fit(model, report, deviceMemoryGB) : null,
      thinking: model.thinking,
    };
  });
}

/** The model to suggest for this GPU, as the variant id it can run. */
export function suggestedModelId(
  models: readonly CatalogModel[],
  report: GpuReport,
  deviceMemoryGB?: number,
): string {
  const model = defaultModel(models, report, deviceMemoryGB);
  return model.variants[report.quantization ?? 'q4f32_1'].modelId;
}

export const FIT_LABELS: Record<Fit, string> = {
  fits: 'fits',
  'may-not-fit': 'may not fit',
  'too-big': 'too big',
};

const F16 = '-q4f16_1-MLC';
const F32 = '-q4f32_1-MLC';

/** Whether this GPU lacks the 16-bit float shaders the model id needs. */
export function needsMissingF16(modelId: string, report: GpuReport | null): boolean {
  return report?.quantization === 'q4f32_1' && modelId.endsWith(F16);
}

/** The same model in the variant this GPU can run (f16 weights need shader-f16). */
export function variantForGpu(modelId: string, report: GpuReport | null): string {
  return needsMissingF16(modelId, report) ? modelId.slice(0, -F16.length) + F32 : modelId;
}
