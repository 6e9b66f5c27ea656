// What stops the setup form from starting a run: the recipe module's own checks, plus what only
// the form knows (an endpoint without a model, a self-hosted embedder without a location).
import { parseRecipe, type RecipeIssue } from '../recipe/parse';
import { ggufUrl, isLocalGguf } from '../engines/ggufCatalog';
import { recipeFromFields, type SetupFields } from './setupFields';

export function formProblems(fields: SetupFields): RecipeIssue[] {
  const issues = parseRecipe(recipeFromFields(fields)).issues;
  const own: RecipeIssue[] = [];
  if (fields.engineKind === 'openai' && !fields.endpointModel.trim())
    own.push({ path: 'engine.model', message: 'Pick or type the endpoint model.' });
  if (
    fields.engineKind === 'wllama' &&
    !isLocalGguf(fields.ggufModel.trim()) &&
    ggufUrl(fields.ggufModel.trim(), fields.ggufUrl.trim()) === undefined
  )
    own.push({
      path: 'engine.model',
      message:
        'Pick a model from the list, name a Hub file as owner/repo/file.gguf, or give its URL.',
    });
  if (fields.embedderChoice === 'self-hosted' && !fields.embedderUrl.trim())
    own.push({ path: 'embedder.url', message: 'Give the URL of your copy of the model.' });
  // Where both speak of one field, the form's wording says what to do in this form.
  const paths = new Set(own.map((issue) => issue.path));
  return [...issues.filter((issue) => !paths.has(issue.path)), ...own];
}
