import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balancedCosts, decision, type Example, mulberry32, trainLinearSvm } from './linear-svm.ts';

const dense = (xs: number[], label: 1 | -1, cost = 1): Example => ({
  indices: xs.map((_, i) => i),
  values: xs,
  label,
  cost,
});

describe('linear SVM (dual coordinate descent, squared hinge)', () => {
  it('separates separable points and puts the boundary between them', () => {
    const random = mulberry32(7);
    const examples: Example[] = [];
    for (let i = 0; i < 200; i++) {
      const label = i % 2 === 0 ? 1 : -1;
      const x = [random() * 2 - 1, random() * 2 - 1];
      // Class +1 right of the line x0 = 0.2, class −1 left of it, a margin of 0.2 each side.
      x[0] = label === 1 ? 0.4 + random() : 0 - random();
      examples.push(dense(x, label, 10));
    }
    const model = trainLinearSvm(examples, 2);
    for (const e of examples) expect(Math.sign(decision(model, e.indices, e.values))).toBe(e.label);
    expect(model.weights[0]).toBeGreaterThan(Math.abs(model.weights[1]!) * 5);
    const boundary = -model.bias / model.weights[0]!;
    expect(boundary).toBeGreaterThan(0);
    expect(boundary).toBeLessThan(0.4);
  });

  it('meets the optimality conditions of its problem (gradient of the primal near zero)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -3, max: 3, noNaN: true }),
            fc.double({ min: -3, max: 3, noNaN: true }),
            fc.boolean(),
          ),
          {
            minLength: 4,
            maxLength: 40,
          },
        ),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        (points, c) => {
          const examples = points.map(([a, b, pos]) => dense([a, b], pos ? 1 : -1, c));
          const m = trainLinearSvm(examples, 2, { tolerance: 1e-9, maxIterations: 20_000 });
          // ∇ = w − Σ 2 C (1 − y w·x)₊ y x, for the weights and the bias (regularised like a weight).
          const grad = [m.weights[0]!, m.weights[1]!, m.bias];
          for (const e of examples) {
            const slack = Math.max(0, 1 - e.label * decision(m, e.indices, e.values));
            const f = 2 * e.cost * slack * e.label;
            grad[0]! -= f * e.values[0]!;
            grad[1]! -= f * e.values[1]!;
            grad[2]! -= f;
          }
          const scale = 1 + Math.abs(m.weights[0]!) + Math.abs(m.weights[1]!) + Math.abs(m.bias);
          for (const g of grad) expect(Math.abs(g) / scale).toBeLessThan(1e-3);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('weighs classes as a whole alike with balanced costs', () => {
    expect(balancedCosts([1, -1, -1, -1], 1)).toEqual([2, 2 / 3, 2 / 3, 2 / 3]);
    expect(() => trainLinearSvm([dense([1], 1, 0)], 1)).toThrow(/cost must be positive/);
  });
});
