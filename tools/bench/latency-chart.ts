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

const WIDTH = 960;
const HEIGHT = 420;
const PAD = { left: 60, right: 20, top: 40, bottom: 70 };

interface Bucket {
  second: number;
  phase: number;
  values: Record<string, number[]>;
}

type Point = Record<string, { p50: number; p99: number } | null>;

/** Where a second and a latency land on the chart. */
interface Scale {
  x(second: number): number;
  y(value: number): number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Per-second buckets, phases laid end to end. */
function perSecondBuckets(phases: ChartPhase[]): Bucket[] {
  const buckets: Bucket[] = [];
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
  return buckets;
}

/** Each bucket's p50 and p99 per series (null for a second without flows). */
function percentilePoints(buckets: Bucket[]): Point[] {
  return buckets.map((bucket) => Object.fromEntries(SERIES.map(({ key }) => {
    const sorted = (bucket.values[key] ?? []).sort((a, b) => a - b);
    return [key, sorted.length ? { p50: percentile(sorted, 50), p99: percentile(sorted, 99) } : null];
  })) as Point);
}

function seriesLines(points: Point[], scale: Scale): string[] {
  return SERIES.flatMap(({ key, color }) => (['p50', 'p99'] as const).map((which) => {
    const path = points.map((point, i) => (point[key] ? `${scale.x(i).toFixed(1)},${scale.y(point[key][which]).toFixed(1)}` : '')).filter(Boolean).join(' ');
    return `<polyline fill="none" stroke="${color}" stroke-width="${which === 'p99' ? 2.5 : 1}" ${which === 'p50' ? 'stroke-dasharray="4 3"' : ''} points="${path}"/>`;
  }));
}

function yTicks(maxY: number, scale: Scale): string[] {
  return Array.from({ length: 6 }, (_, i) => (maxY * i) / 5).map((value) =>
    `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${scale.y(value)}" y2="${scale.y(value)}" stroke="#eee"/><text x="${PAD.left - 6}" y="${scale.y(value) + 4}" text-anchor="end">${value.toFixed(value < 10 ? 1 : 0)}</text>`);
}

/** A dashed line where each phase begins, with its name. */
function phaseMarks(phases: ChartPhase[], buckets: Bucket[], scale: Scale): string[] {
  let phaseStart = 0;
  return phases.map((phase, index) => {
    const start = phaseStart;
    phaseStart += buckets.filter((bucket) => bucket.phase === index).length;
    return `<line x1="${scale.x(start)}" x2="${scale.x(start)}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" stroke="#999" stroke-dasharray="2 2"/><text x="${scale.x(start) + 4}" y="${PAD.top + 12}">${escape(phase.name)}</text>`;
  });
}

function legend(): string[] {
  return SERIES.map(({ label, color }, i) => `<rect x="${PAD.left + i * 280}" y="${HEIGHT - 28}" width="14" height="4" fill="${color}"/><text x="${PAD.left + i * 280 + 20}" y="${HEIGHT - 22}">${escape(label)}</text>`);
}

export function latencyChartSvg(phases: ChartPhase[], title: string): string {
  const buckets = perSecondBuckets(phases);
  const points = percentilePoints(buckets);
  const maxY = Math.max(10, ...points.flatMap((point) => SERIES.map(({ key }) => point[key]?.p99 ?? 0)));
  const scale: Scale = {
    x: (second) => PAD.left + (second / Math.max(1, buckets.length - 1)) * (WIDTH - PAD.left - PAD.right),
    y: (value) => HEIGHT - PAD.bottom - (value / maxY) * (HEIGHT - PAD.top - PAD.bottom),
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="${PAD.left}" y="22" font-size="15">${escape(title)}</text>`,
    ...yTicks(maxY, scale),
    ...phaseMarks(phases, buckets, scale),
    ...seriesLines(points, scale),
    `<text x="${(WIDTH + PAD.left) / 2}" y="${HEIGHT - 44}" text-anchor="middle">seconds (per-second p99 solid, p50 dashed)</text>`,
    `<text x="16" y="${(HEIGHT - PAD.bottom + PAD.top) / 2}" transform="rotate(-90 16 ${(HEIGHT - PAD.bottom + PAD.top) / 2})" text-anchor="middle">ms</text>`,
    ...legend(),
    '</svg>',
    '',
  ].join('\n');
}
