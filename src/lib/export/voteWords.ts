// A vote in words, the same in the app and in the dataset card: "2 of 3", or "2 of 2 drawn
// (k = 3)" when adaptive voting stopped early and the k-sample agreement is only bounded.

export function voteSplitLabel(split: { winnerVotes: number; drawn: number; k: number }): string {
  const { winnerVotes, drawn, k } = split;
  return drawn >= k ? `${winnerVotes} of ${k}` : `${winnerVotes} of ${drawn} drawn (k = ${k})`;
}
