/** The A/B statistics against values worked out by hand (the arithmetic is in the comments). */
import { describe, expect, it } from "vitest";
import { mannWhitney, twoProportionTest, wilsonInterval } from "../../src/analytics/stats.js";

describe("Wilson interval", () => {
  it("8 of 10", () => {
    // z = 1.959964, z² = 3.841459; centre = (0.8 + z²/20) / (1 + z²/10) = 0.992073 / 1.384146 = 0.716741;
    // half = z / 1.384146 × √(0.16/10 + z²/400) = 1.415999 × 0.160011 = 0.226575.
    const interval = wilsonInterval(8, 10)!;
    expect(interval.low).toBeCloseTo(0.490166, 5);
    expect(interval.high).toBeCloseTo(0.943316, 5);
  });

  it("stays inside [0, 1] at the edges, and is null without a sample", () => {
    // 0 of 20: centre = (z²/40) / (1 + z²/20) = 0.096036 / 1.192073 = 0.080562 = half: [0, 0.161125].
    const none = wilsonInterval(0, 20)!;
    expect(none.low).toBeCloseTo(0, 9);
    expect(none.high).toBeCloseTo(0.161125, 5);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe("two-proportion z-test", () => {
  it("45/100 against 60/100", () => {
    // pooled 0.525; se = √(0.525 × 0.475 × (1/100 + 1/100)) = 0.0706222; z = 0.15 / 0.0706222 = 2.123978;
    // p = 2 × (1 − Φ(2.123978)) = 0.03367.
    const test = twoProportionTest(45, 100, 60, 100)!;
    expect(test.difference).toBeCloseTo(0.15, 10);
    expect(test.z).toBeCloseTo(2.123978, 4);
    expect(test.p_value).toBeCloseTo(0.03367, 3);
    // Unpooled interval: se = √(0.45×0.55/100 + 0.6×0.4/100) = √0.004875 = 0.0698212; 0.15 ± 1.959964 × 0.0698212 = 0.15 ± 0.136847.
    expect(test.interval.low).toBeCloseTo(0.013153, 5);
    expect(test.interval.high).toBeCloseTo(0.286847, 5);
  });

  it("sees no difference in equal rates, and nothing without samples", () => {
    expect(twoProportionTest(30, 100, 30, 100)!.p_value).toBeCloseTo(1, 9);
    expect(twoProportionTest(0, 0, 3, 10)).toBeNull();
  });
});

describe("Mann–Whitney U", () => {
  it("two samples without ties", () => {
    // b's ranks are 6..10, sum 40; U = 40 − 15 = 25; μ = 12.5; σ = √(25/12 × 11) = 4.787136;
    // z = (25 − 12.5 − 0.5) / σ = 2.506716; p = 2 × (1 − Φ(z)) = 0.012186.
    const test = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])!;
    expect(test.u).toBe(25);
    expect(test.effect).toBe(1);
    expect(test.z).toBeCloseTo(2.506716, 4);
    expect(test.p_value).toBeCloseTo(0.012186, 3);
  });

  it("with ties (mid-ranks and the tie correction)", () => {
    // Sorted: 1a 2a 2a 2b 3a 3b 4b 5b; ranks 1, 3, 3, 3, 5.5, 5.5, 7, 8. b's sum 3 + 5.5 + 7 + 8 = 23.5; U = 13.5.
    // Ties: (3³ − 3) + (2³ − 2) = 30; σ = √(16/12 × (9 − 30/56)) = 3.359422; z = (13.5 − 8 − 0.5) / σ = 1.488351;
    // p = 0.13666.
    const test = mannWhitney([1, 2, 2, 3], [2, 3, 4, 5])!;
    expect(test.u).toBe(13.5);
    expect(test.z).toBeCloseTo(1.488351, 4);
    expect(test.p_value).toBeCloseTo(0.13666, 3);
  });

  it("is null when a side is empty", () => {
    expect(mannWhitney([], [1, 2])).toBeNull();
  });
});
