import { describe, expect, it } from 'vitest';
import { latencyHistogram, summarize } from '../../tools/bench/histogram.ts';
import { latencyChartSvg } from '../../tools/bench/latency-chart.ts';

describe('bench report parts', () => {
  it('summarises microsecond samples as millisecond percentiles', () => {
    const histogram = latencyHistogram();
    for (let ms = 1; ms <= 100; ms += 1) histogram.recordValue(ms * 1000);
    const summary = summarize(histogram);
    // HDR keeps three significant digits: each figure is within 0.1 % of the exact one.
    for (const [key, exact] of [['p50', 50], ['p95', 95], ['p99', 99], ['max', 100]] as const) expect(Math.abs(summary[key] - exact) / exact).toBeLessThan(0.001);
    expect(summary.count).toBe(100);
  });

  it('draws p50 and p99 lines for each latency over both phases', () => {
    const samples = (offset: number) => Array.from({ length: 50 }, (_, i) => ({ atSeconds: i / 10, createMs: 5 + offset, deliveryMs: 10 + offset, decisionMs: 20 + offset }));
    const svg = latencyChartSvg([{ name: 'max <1>', samples: samples(10) }, { name: 'half', samples: samples(0) }], 'title & more');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(6);
    expect(svg).toContain('max &lt;1>');
    expect(svg).toContain('title &amp; more');
  });
});
