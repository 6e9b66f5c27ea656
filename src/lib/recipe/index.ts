// The recipe's public surface.
export type { EmbedderSpec, EngineSpec, Recipe, ThinkingSwitch } from './types';
export { RecipeSchema, EngineSchema, EmbedderSchema } from './schema';
export {
  DEFAULT_EMBEDDER,
  DEFAULT_ENGINE,
  DEFAULT_RECIPE,
  defaultRecipe,
  presetFor,
} from './defaults';
export { describeIssues, parseRecipe } from './parse';
export type { ParsedRecipe, RecipeIssue } from './parse';
export { recipeDomain, recipeToConfig } from './config';
export { canonicalJson, recipeFromHash, recipeId, recipeLink, withoutSecrets } from './link';
