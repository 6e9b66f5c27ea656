// Generated high-school math word problems for the embedder bench: names, quantities and
// phrasings drawn from a seeded generator, from one short sentence to a paragraph, as a model
// answering the bait prompt writes them.
import { createRandom } from '../src/lib/crescent/random';
import type { RandomSource } from '../src/lib/crescent/types';

const NAMES = [
  'Maya',
  'Liam',
  'Priya',
  'Carlos',
  'Aiko',
  'Noah',
  'Fatima',
  'Elena',
  'Jamal',
  'Sofia',
];
const ITEMS = ['apples', 'marbles', 'notebooks', 'stickers', 'cupcakes', 'tickets', 'pencils'];
const SHOPS = ['bakery', 'bookstore', 'farmers market', 'hardware store', 'school fair'];

/** One question's person, object and place, and a number drawer. */
interface Draw {
  name: string;
  item: string;
  shop: string;
  n: (lo: number, hi: number) => number;
}

type Template = (draw: Draw) => string;

const TEMPLATES: Template[] = [
  ({ name, item, n }) =>
    `${name} has ${n(5, 90)} ${item} and gives away ${n(2, 5)}. How many are left?`,
  ({ name, item, shop, n }) =>
    `At the ${shop}, ${item} cost $${n(2, 9)} each. ${name} buys ${n(3, 12)} of them and pays with a $${n(50, 100)} bill. How much change does ${name} receive?`,
  ({ n }) =>
    `A rectangle has a length of ${n(4, 30)} cm and a width of ${n(2, 15)} cm. What is its perimeter, and by how much does its area grow if both sides are doubled?`,
  ({ name, n }) =>
    `${name} drives ${n(40, 300)} miles at ${n(30, 70)} miles per hour, stops for ${n(10, 45)} minutes, then drives another ${n(20, 150)} miles at ${n(40, 75)} miles per hour. How long does the whole trip take?`,
  ({ n }) => `Solve for x: ${n(2, 9)}x + ${n(1, 40)} = ${n(50, 200)}.`,
  ({ name, item, n }) =>
    `${name} saves ${n(5, 25)} dollars a week to buy ${n(2, 6)} ${item} that cost ${n(12, 40)} dollars each. After ${n(2, 8)} weeks, ${name} spends a third of the savings on a gift. How many more weeks until the ${item} can be bought?`,
  ({ n }) =>
    `The sum of three consecutive even integers is ${2 * (3 * n(5, 60) + 3)}. What is the largest of the three?`,
  ({ name, shop, n }) =>
    `A ${shop} sells ${n(100, 900)} items on Monday, ${n(10, 40)}% more on Tuesday and half as many as Tuesday on Wednesday. ${name}, the owner, wants the weekly average to be at least ${n(300, 700)} items a day over five days. How many items must be sold on Thursday and Friday together?`,
  ({ n }) =>
    `A bag holds ${n(3, 12)} red balls and ${n(3, 12)} blue balls. Two balls are drawn without replacement. What is the probability that both are red?`,
  ({ name, item, n }) =>
    `${name} shares ${n(24, 120)} ${item} among ${n(3, 8)} friends so that each friend gets the same number and as few as possible are left over. How many ${item} does each friend get?`,
  ({ n }) =>
    `A tank fills at ${n(3, 12)} liters per minute and leaks ${n(1, 3)} liters per minute. If the tank holds ${n(100, 600)} liters, how many minutes does it take to fill from empty?`,
  ({ name, n }) =>
    `${name} reads ${n(10, 40)} pages on the first day and each following day reads ${n(2, 6)} pages more than the day before. How many pages has ${name} read after ${n(5, 14)} days?`,
];

function draw(random: RandomSource): Draw {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random.next() * list.length)] as T;
  return {
    name: pick(NAMES),
    item: pick(ITEMS),
    shop: pick(SHOPS),
    n: (lo, hi) => lo + Math.floor(random.next() * (hi - lo + 1)),
  };
}

/** `count` questions, the same for the same seed. */
export function mathQuestions(count: number, seed = 7): string[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const template = TEMPLATES[Math.floor(random.next() * TEMPLATES.length)] as Template;
    return template(draw(random));
  });
}
