// The recipe a run was asked for, checked strictly: the UI validates as the user types, so anything
// the parser would have to repair here came from elsewhere and is refused rather than guessed at.
import type { RunConfig } from '../crescent/config';
import { CrescentError } from '../crescent/errors';
import { describeIssues, parseRecipe, recipeToConfig } from '../recipe';
import type { Recipe } from '../recipe/types';

export function configForRun(recipe: Recipe, runId: string): RunConfig {
  const { recipe: parsed, issues } = parseRecipe(recipe);
  if (issues.length > 0) {
    throw new CrescentError({
      code: 'invalid-recipe',
      message: `The recipe cannot be run as it is:\n${describeIssues(issues)}`,
      action: 'Correct the fields named above and start again.',
    });
  }
  return recipeToConfig(parsed, runId);
}
