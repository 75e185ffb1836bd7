import type { Counter, CounterOptions, Gauge, Histogram, MetricLabels, Metrics } from '@krakenkit/plugin-api';

type Instrument = Counter<string> & Gauge<string> & Histogram<string>;

/** An in-memory metrics backend: values by `name{label=value,...}`, for assertions. */
export class RecordingMetrics implements Metrics {
  readonly values = new Map<string, number>();

  counter<TLabel extends string = never>(options: CounterOptions<TLabel>): Counter<TLabel> {
    return this.#instrument(options.name);
  }

  gauge<TLabel extends string = never>(options: CounterOptions<TLabel>): Gauge<TLabel> {
    return this.#instrument(options.name);
  }

  histogram<TLabel extends string = never>(options: CounterOptions<TLabel>): Histogram<TLabel> {
    return this.#instrument(options.name);
  }

  /** The value for exactly these labels (0 when never recorded). */
  get(name: string, labels: MetricLabels<string> = {}): number {
    return this.values.get(keyOf(name, labels)) ?? 0;
  }

  /** The sum over every label set of a metric. */
  total(name: string): number {
    let sum = 0;
    for (const [key, value] of this.values) if (key === name || key.startsWith(`${name}{`)) sum += value;
    return sum;
  }

  #instrument(name: string): Instrument {
    const update = (args: unknown[], apply: (old: number, value: number) => number, fallback: number) => {
      const [first, second] = args;
      const labels = typeof first === 'object' && first !== null ? (first as MetricLabels<string>) : {};
      const value = typeof first === 'number' ? first : typeof second === 'number' ? second : fallback;
      const key = keyOf(name, labels);
      this.values.set(key, apply(this.values.get(key) ?? 0, value));
    };
    return {
      inc: (...args: unknown[]) => update(args, (old, value) => old + value, 1),
      dec: (...args: unknown[]) => update(args, (old, value) => old - value, 1),
      set: (...args: unknown[]) => update(args, (_old, value) => value, 0),
      // Histograms count observations.
      observe: (...args: unknown[]) => update(args, (old) => old + 1, 0),
    } as Instrument;
  }
}

function keyOf(name: string, labels: MetricLabels<string>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? name : `${name}{${entries.map(([k, v]) => `${k}=${v}`).join(',')}}`;
}
