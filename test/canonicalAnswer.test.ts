// Exact canonical strings: two answers agree exactly when these are equal (canonicalAnswer.ts).
import { describe, expect, it } from 'vitest';
import {
  canonicalAnswerText,
  canonicalFraction,
  canonicalNumber,
  normaliseMath,
} from '../src/lib/crescent/canonicalAnswer';

describe('canonicalNumber', () => {
  it.each([
    [2.5, '2.5'],
    [-0, '0'],
    [-3, '-3'],
    [0.1 + 0.2, '0.3'],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
  ])('%s -> %s', (value, expected) => {
    expect(canonicalNumber(value)).toBe(expected);
  });
});

describe('canonicalFraction', () => {
  it.each([
    [3, 4, '0.75'],
    [-3, 4, '-0.75'],
    [3, -4, '-0.75'],
    [6, 8, '0.75'],
    [1, 3, '1/3'],
    [-1, 3, '-1/3'],
    [2, -6, '-1/3'],
    [1, 15, '1/15'],
    [1, 25, '0.04'],
    [7, 1, '7'],
    [0, 5, '0'],
    [1.5, 3, '0.5'],
    [3, 1.5, '2'],
    [1, 0, null],
  ])('%s/%s -> %s', (p, q, expected) => {
    expect(canonicalFraction(p, q)).toBe(expected);
  });
});

describe('normaliseMath', () => {
  it.each([
    ['\\frac 3 4', '3/4'],
    ['\\dfrac{1}{2}', '1/2'],
    ['\\sqrt 12', '\\sqrt{12}'],
    ['\\sqrt x', '\\sqrt{x}'],
    ['\\sqrt xy', '\\sqrt xy'],
    ['5 \\text {cm}', '5  cm '],
    ['\\$5', '$5'],
    ['50\\%', '50%'],
    ['1{,}000', '1,000'],
    ['\\left(3\\right)', '(3)'],
    ['1\\,000', '1000'],
    ['1\\!000', '1000'],
    ['a\\,000', 'a000'],
    ['1\\,00', '100'],
    ['\\(5\\)', ' 5 '],
    ['90^\\circ', '90'],
    ['90^ \\circ', '90'],
    ['90^{\\circ}', '90'],
    ['90°', '90'],
    ['\u22125', '-5'],
    ['**7**', '7'],
    ['\\frac {1} {2}', '1/2'],
    ['\\frac{ 1 }{ 2 }', '1/2'],
    ['\\frac{1}{12}', '1/12'],
    ['2\\frac{1}{2}', '2 1/2'],
  ])('%s -> %s', (text, expected) => {
    expect(normaliseMath(text)).toBe(expected);
  });
});

describe('canonicalAnswerText', () => {
  it.each([
    ['1 1/2', '1.5'],
    ['-1 1/2', '-1.5'],
    ['1 1/3', '4/3'],
    ['3/4', '0.75'],
    ['-3/4', '-0.75'],
    ['1,234.5', '1234.5'],
    ['$-5', '-5'],
    ['x = 5', '5'],
    ['x=5', '5'],
    ['a = b = 12', '12'],
    ['"5"', '5'],
    ["'12 apples'", '12'],
    ['$$5$$', '5'],
    ['5.', '5'],
    ['5 cm', '5'],
    ['5 cm^2', '5'],
    ['72 Mb/hour', '72'],
    ['18th', '18'],
    ['5x', '5x'],
    ['3 1/2 cups', '3.5'],
    ['2 3/2', null],
    ['2 3/2 cups', null],
    ['Seth is 16 years old', '16'],
    ['it cannot be determined', null],
    ['27 selfies and 18 portraits', null],
    ['\\text{Seth is 16 years old}', '16'],
    ['\\alpha \\beta \\gamma', '\\alpha\\beta\\gamma'],
    ['red and blue', null],
    ['x y', 'xy'],
    ['Paris.', 'Paris'],
    ['A B.', 'AB'],
    ['$ x $', 'x'],
    ['-', null],
    ['', null],
    ['x =', null],
  ])('%s -> %s', (text, expected) => {
    expect(canonicalAnswerText(text)).toBe(expected);
  });
});
