// Word-problem templates for the scripted test engine. Few templates on purpose:
// repeated templates with new numbers are the near-duplicates the diversifier must catch.

export interface ProblemTemplate {
  topic: string;
  render(a: number, b: number, name: string): string;
}

export const NAMES = ['Maya', 'Liam', 'Ava', 'Noah', 'Zoe', 'Omar', 'Iris', 'Theo'];

export const PROBLEM_TEMPLATES: readonly ProblemTemplate[] = [
  {
    topic: 'apples',
    render: (a, b, n) =>
      `${n} picks ${a} apples every morning for ${b} days and gives half of them to the neighbours. How many apples does ${n} keep?`,
  },
  {
    topic: 'train',
    render: (a, b) =>
      `A freight train travels at ${a} kilometres per hour for ${b} hours before stopping at the depot. How far did the train travel?`,
  },
  {
    topic: 'bakery',
    render: (a, b, n) =>
      `${n}'s bakery sells muffins for $${a} each. On Saturday the bakery sold ${b} muffins. What was the revenue from muffins that day?`,
  },
  {
    topic: 'garden',
    render: (a, b) =>
      `A rectangular vegetable garden is ${a} metres long and ${b} metres wide. A fence goes around the whole garden. How long is the fence?`,
  },
  {
    topic: 'savings',
    render: (a, b, n) =>
      `${n} saves ${a} percent of a monthly allowance of ${b} dollars. How much money does ${n} save in one year?`,
  },
  {
    topic: 'library',
    render: (a, b) =>
      `The school library has ${a} shelves with ${b} books on each shelf, and students borrowed a quarter of the books. How many books remain on the shelves?`,
  },
  {
    topic: 'pool',
    render: (a, b) =>
      `A swimming pool holds ${a}00 litres of water and a pump drains ${b} litres per minute. How many minutes does it take to empty the pool?`,
  },
  {
    topic: 'concert',
    render: (a, b) =>
      `Tickets for a concert cost ${a} dollars for adults and ${b} dollars for children. A family bought two adult and three child tickets. What did they pay?`,
  },
  {
    topic: 'cycling',
    render: (a, b, n) =>
      `${n} cycles ${a} kilometres on weekdays and ${b} kilometres on each weekend day. How many kilometres does ${n} ride in a week?`,
  },
  {
    topic: 'paint',
    render: (a, b) =>
      `One can of paint covers ${a} square metres. A hall has walls with a total area of ${b} square metres. How many cans are needed to paint the hall twice?`,
  },
  {
    topic: 'marbles',
    render: (a, b, n) =>
      `${n} had ${a} marbles, won ${b} more in a game, then lost a third of all of them on the way home. How many marbles are left?`,
  },
  {
    topic: 'recipe',
    render: (a, b) =>
      `A cookie recipe needs ${a} grams of flour for ${b} cookies. How many grams of flour are needed for a batch of 60 cookies?`,
  },
];
