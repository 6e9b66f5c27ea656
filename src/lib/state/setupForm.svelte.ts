// The setup form: the fields the user edits, the recipe they describe, and the ways a recipe
// comes in (a #recipe= link, an uploaded or pasted JSON) and goes out (JSON, share link, a run).
import type { Recipe } from '../recipe/types';
import type { GpuReport } from '../engines/reports';
import { keyScopeOf, loadApiKey, saveApiKey, type KeyScope } from './apiKeyStore';
import { formProblems } from './formProblems';
import { variantForGpu } from './modelChoices';
import { recipeFromHash, recipeLink } from '../recipe/link';
import { parseRecipe, type RecipeIssue } from '../recipe/parse';
import type { Services } from './services';
import { storeBenchmarkFile, withBenchmark } from './benchmarkChoice';
import {
  applyDomain,
  defaultFields,
  fieldsFromRecipe,
  promptsEdited,
  recipeFromFields,
  type SetupFields,
} from './setupFields';

export type EndpointModelsState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; models: string[] }
  | { state: 'failed'; message: string };

/** The recipe schema's bound on `engine.concurrency`. */
export const MAX_CONCURRENCY = 64;

export class SetupForm {
  /** Bound directly by the form's inputs. */
  fields = $state<SetupFields>(defaultFields());
  #apiKey = $state('');
  #keyScope = $state<KeyScope>('tab');
  #loadedIssues = $state.raw<RecipeIssue[]>([]);
  #loadedFrom = $state<string | null>(null);
  #modelChosen = false;
  /** A recipe set the engine: the hardware check does not change it. */
  #engineFromRecipe = false;
  #endpointModels = $state.raw<EndpointModelsState>({ state: 'idle' });
  /** Requests the endpoint at `url` says it serves at once (llama.cpp's slots). */
  #serverSlots = $state.raw<{ url: string; slots: number } | null>(null);
  readonly #services: Services;

  readonly recipe: Recipe = $derived(recipeFromFields(this.fields));
  readonly problems: RecipeIssue[] = $derived(formProblems(this.fields));
  readonly edited: boolean = $derived(promptsEdited(this.fields));

  constructor(services: Services) {
    this.#services = services;
    this.#loadKey(this.fields.endpointUrl);
  }

  get apiKey(): string {
    return this.#apiKey;
  }

  /** Where the key is kept: 'tab' (until the tab closes, the default) or 'browser'. */
  get keyScope(): KeyScope {
    return this.#keyScope;
  }

  setKeyScope(scope: KeyScope): void {
    this.#keyScope = scope;
    saveApiKey(this.fields.endpointUrl, this.#apiKey, scope);
  }

  #loadKey(url: string): void {
    this.#apiKey = loadApiKey(url);
    this.#keyScope = keyScopeOf(url) ?? 'tab';
  }

  /** Fields a loaded recipe had wrong; they were replaced by defaults and are listed, not dropped. */
  get loadedIssues(): RecipeIssue[] {
    return this.#loadedIssues;
  }

  /** Where the last loaded recipe came from ("link", a file name), or null. */
  get loadedFrom(): string | null {
    return this.#loadedFrom;
  }

  get endpointModels(): EndpointModelsState {
    return this.#endpointModels;
  }

  /** Null until the endpoint now set has told; a count for another URL is not shown. */
  get serverSlots(): number | null {
    const told = this.#serverSlots;
    return told !== null && told.url === this.fields.endpointUrl ? told.slots : null;
  }

  /** What the concurrency field should hold to match the server, within the recipe's bound. */
  get suggestedConcurrency(): number | null {
    const slots = this.serverSlots;
    return slots === null ? null : Math.min(slots, MAX_CONCURRENCY);
  }

  useServerSlots(): void {
    const suggested = this.suggestedConcurrency;
    if (suggested !== null) this.fields.endpointConcurrency = suggested;
  }

  get canStart(): boolean {
    return this.problems.length === 0;
  }

  /** The recipe with the API key, for the run itself only. */
  runRecipe(): Recipe {
    return recipeFromFields(this.fields, this.#apiKey || undefined);
  }

  /** Pretty JSON of the recipe, without the API key. */
  get json(): string {
    return JSON.stringify(this.recipe, null, 2);
  }

  shareLink(baseUrl: string): string {
    return recipeLink(this.recipe, baseUrl);
  }

  chooseDomain(id: string): void {
    this.fields = applyDomain(this.fields, id);
  }

  resetPrompts(): void {
    this.fields = applyDomain(this.fields, this.fields.domain);
  }

  chooseModel(id: string): void {
    this.#modelChosen = true;
    this.fields.webllmModel = id;
  }

  /** After the preflight: the default model in the variant this GPU can run, unless one was chosen. */
  fitModelToGpu(report: GpuReport | null): void {
    if (this.#modelChosen) return;
    this.fields.webllmModel = variantForGpu(this.fields.webllmModel, report);
  }

  /**
   * After the preflight: where web-llm cannot run (no WebGPU, or a GPU it cannot use), the setup
   * offers the GGUF engine on the CPU first, unless a recipe named an engine.
   */
  offerCpuEngine(report: GpuReport | null): void {
    if (this.#engineFromRecipe || report?.problem === undefined) return;
    if (this.fields.engineKind === 'webllm') this.fields.engineKind = 'wllama';
  }

  /** Once the model list is read: suggest a model that fits, unless the user or a recipe already chose one. */
  suggestModel(id: string | null): void {
    if (this.#modelChosen || id === null) return;
    this.fields.webllmModel = id;
  }

  setApiKey(key: string): void {
    this.#apiKey = key;
    saveApiKey(this.fields.endpointUrl, key, this.#keyScope);
  }

  /** The endpoint URL changed: its stored key (if any) comes with it, and its model list is stale. */
  changeEndpoint(url: string): void {
    this.fields.endpointUrl = url;
    this.#loadKey(url);
    this.#endpointModels = { state: 'idle' };
  }

  async fetchEndpointModels(): Promise<void> {
    this.#endpointModels = { state: 'loading' };
    void this.#readServerSlots();
    try {
      const models = await this.#services.listEndpointModels(this.fields.endpointUrl, this.#apiKey);
      this.#endpointModels = { state: 'ready', models };
      const first = models[0];
      if (!this.fields.endpointModel && first) this.fields.endpointModel = first;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#endpointModels = { state: 'failed', message };
    }
  }

  /** Asked beside the model list and never awaited by it; an answer for an old URL is dropped. */
  async #readServerSlots(): Promise<void> {
    const url = this.fields.endpointUrl;
    const asked = this.#services.endpointSlots?.(url, this.#apiKey) ?? Promise.resolve(null);
    const slots = await asked.catch(() => null);
    if (this.fields.endpointUrl !== url) return;
    this.#serverSlots = slots === null ? null : { url, slots };
  }

  /** Keeps a benchmark file in this browser and checks against it; returns its question count. */
  async loadBenchmarkFile(name: string, text: string): Promise<number> {
    const count = await storeBenchmarkFile(this.#services.db, name, text);
    const added = withBenchmark(this.fields.decontamination, { name });
    if ('decontamination' in added) this.fields.decontamination = added.decontamination;
    return count;
  }

  /** Fills the form from a `#recipe=` hash; returns whether there was one. */
  openLink(hash: string): boolean {
    const parsed = recipeFromHash(hash);
    if (!parsed) return false;
    this.#fill(parsed.recipe, parsed.issues, 'link');
    return true;
  }

  /** Fills the form from JSON text (an uploaded file or a paste). */
  openJson(text: string, source: string): void {
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#loadedIssues = [{ path: '', message: `Not valid JSON: ${message}` }];
      this.#loadedFrom = source;
      return;
    }
    const parsed = parseRecipe(input);
    this.#fill(parsed.recipe, parsed.issues, source);
  }

  dismissLoadedIssues(): void {
    this.#loadedIssues = [];
    this.#loadedFrom = null;
  }

  resetAll(): void {
    this.fields = defaultFields(this.fields.webllmModel);
    this.dismissLoadedIssues();
  }

  #fill(recipe: Recipe, issues: RecipeIssue[], source: string): void {
    this.fields = fieldsFromRecipe(recipe, this.fields);
    if (recipe.engine.kind === 'webllm') this.#modelChosen = true;
    this.#engineFromRecipe = true;
    this.#loadKey(this.fields.endpointUrl);
    this.#loadedIssues = issues;
    this.#loadedFrom = source;
  }
}
