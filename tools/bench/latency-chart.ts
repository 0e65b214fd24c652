// An SVG chart of flow latencies over the run: per second, p50 (thin) and p99 (thick) of create, delivery and decision.
import type { FlowSample } from './push-flow.bench.ts';

export interface ChartPhase {
  name: string;
  samples: FlowSample[];
}

const SERIES = [
  { key: 'createMs', label: 'create', color: '#1f77b4' },
  { key: 'deliveryMs', label: 'created → device', color: '#2ca02c' },
  { key: 'decisionMs', label: 'response → login sees decision', color: '#d62728' },
] as const;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function latencyChartSvg(phases: ChartPhase[], title: string): string {
  const width = 960;
  const height = 420;
  const pad = { left: 60, right: 20, top: 40, bottom: 70 };
  // Per-second buckets, phases laid end to end.
  const buckets: { second: number; phase: number; values: Record<string, number[]> }[] = [];
  let offset = 0;
  phases.forEach((phase, phaseIndex) => {
    const seconds = Math.ceil(Math.max(1, ...phase.samples.map((sample) => sample.atSeconds)));
    for (let s = 0; s < seconds; s += 1) buckets.push({ second: offset + s, phase: phaseIndex, values: { createMs: [], deliveryMs: [], decisionMs: [] } });
    for (const sample of phase.samples) {
      const bucket = buckets[offset + Math.min(seconds - 1, Math.floor(sample.atSeconds))];
      for (const { key } of SERIES) bucket?.values[key]?.push(sample[key]);
    }
    offset += seconds;
  });
  const points = buckets.map((bucket) => Object.fromEntries(SERIES.map(({ key }) => {
    const sorted = (bucket.values[key] ?? []).sort((a, b) => a - b);
    return [key, sorted.length ? { p50: percentile(sorted, 50), p99: percentile(sorted, 99) } : null];
  })) as Record<string, { p50: number; p99: number } | null>);
  const maxY = Math.max(10, ...points.flatMap((point) => SERIES.map(({ key }) => point[key]?.p99 ?? 0)));
  const x = (second: number) => pad.left + (second / Math.max(1, buckets.length - 1)) * (width - pad.left - pad.right);
  const y = (value: number) => height - pad.bottom - (value / maxY) * (height - pad.top - pad.bottom);
  const lines = SERIES.flatMap(({ key, color }) => (['p50', 'p99'] as const).map((which) => {
    const path = points.map((point, i) => (point[key] ? `${x(i).toFixed(1)},${y(point[key][which]).toFixed(1)}` : '')).filter(Boolean).join(' ');
    return `<polyline fill="none" stroke="${color}" stroke-width="${which === 'p99' ? 2.5 : 1}" ${which === 'p50' ? 'stroke-dasharray="4 3"' : ''} points="${path}"/>`;
  }));
  const ticks = Array.from({ length: 6 }, (_, i) => (maxY * i) / 5).map((value) =>
    `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(value)}" y2="${y(value)}" stroke="#eee"/><text x="${pad.left - 6}" y="${y(value) + 4}" text-anchor="end">${value.toFixed(value < 10 ? 1 : 0)}</text>`);
  let phaseStart = 0;
  const phaseMarks = phases.map((phase, index) => {
    const start = phaseStart;
    phaseStart += buckets.filter((bucket) => bucket.phase === index).length;
    return `<line x1="${x(start)}" x2="${x(start)}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#999" stroke-dasharray="2 2"/><text x="${x(start) + 4}" y="${pad.top + 12}">${escape(phase.name)}</text>`;
  });
  const legend = SERIES.map(({ label, color }, i) => `<rect x="${pad.left + i * 280}" y="${height - 28}" width="14" height="4" fill="${color}"/><text x="${pad.left + i * 280 + 20}" y="${height - 22}">${escape(label)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="${pad.left}" y="22" font-size="15">${escape(title)}</text>`,
    ...ticks,
    ...phaseMarks,
    ...lines,
    `<text x="${(width + pad.left) / 2}" y="${height - 44}" text-anchor="middle">seconds (per-second p99 solid, p50 dashed)</text>`,
    `<text x="16" y="${(height - pad.bottom + pad.top) / 2}" transform="rotate(-90 16 ${(height - pad.bottom + pad.top) / 2})" text-anchor="middle">ms</text>`,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
