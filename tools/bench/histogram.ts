import * as hdr from 'hdr-histogram-js';

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

/** An HDR histogram of microseconds (1 µs to 2 min, 3 significant digits). */
export function latencyHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
}

const ms = (micros: number) => Math.round(micros / 10) / 100;

/** Percentiles in milliseconds, two decimals. */
export function summarize(histogram: hdr.Histogram): LatencySummary {
  return {
    p50: ms(histogram.getValueAtPercentile(50)),
    p95: ms(histogram.getValueAtPercentile(95)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
    count: histogram.totalCount,
  };
}
