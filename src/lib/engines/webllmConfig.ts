// Which web-llm AppConfig serves a model: the prebuilt one, one the caller gives, or a one-model
// config for self-hosted weights (a model folder URL plus its compiled model library).
import { prebuiltAppConfig, type AppConfig, type ModelRecord } from '@mlc-ai/web-llm';
import { CrescentError } from '../crescent/errors';

export interface ModelSource {
  /** A whole AppConfig; wins over modelUrl/modelLibUrl. */
  appConfig?: AppConfig;
  /** Folder holding mlc-chat-config.json, the tokenizer and the weight shards. */
  modelUrl?: string;
  /** The model's compiled WebGPU library (.wasm); defaults to the prebuilt one for the same id. */
  modelLibUrl?: string;
}

function unknownModel(model: string, message: string): CrescentError {
  return new CrescentError({
    code: 'unknown-model',
    message,
    action: `Pick a model from the list, or give the URL of a self-hosted copy of ${model} and its model library.`,
  });
}

/** The AppConfig to load `model` with; throws 'unknown-model' when it has no record for it. */
export function resolveAppConfig(model: string, source: ModelSource = {}): AppConfig {
  if (source.appConfig !== undefined) {
    requireRecord(model, source.appConfig);
    return source.appConfig;
  }
  if (source.modelUrl === undefined) {
    requireRecord(model, prebuiltAppConfig);
    return prebuiltAppConfig;
  }
  const prebuilt = prebuiltAppConfig.model_list.find((r) => r.model_id === model);
  const modelLib = source.modelLibUrl ?? prebuilt?.model_lib;
  if (modelLib === undefined) {
    throw unknownModel(
      model,
      `${model} is not a prebuilt model, so a self-hosted copy also needs its model library URL.`,
    );
  }
  const record: ModelRecord = {
    ...prebuilt,
    model: source.modelUrl,
    model_id: model,
    model_lib: modelLib,
  };
  return { ...prebuiltAppConfig, model_list: [record] };
}

function findRecord(model: string, appConfig: AppConfig): ModelRecord | undefined {
  return appConfig.model_list.find((r) => r.model_id === model);
}

function requireRecord(model: string, appConfig: AppConfig): ModelRecord {
  const record = findRecord(model, appConfig);
  if (record === undefined)
    throw unknownModel(model, `web-llm does not know the model "${model}".`);
  return record;
}

/** Weights with 16-bit float maths (q4f16_1, q0f16) need the GPU's shader-f16 feature. */
export function needsShaderF16(model: string): boolean {
  return /-q\df16(_\d+)?(-|$)/.test(model);
}
