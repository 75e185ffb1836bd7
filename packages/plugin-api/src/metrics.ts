export type MetricLabels<TLabel extends string> = Partial<Record<TLabel, string | number>>;

export interface CounterOptions<TLabel extends string> {
  /** `krakenkit_<area>_<what>_<unit>`, e.g. `krakenkit_transport_reconnects_total`. */
  name: string;
  help: string;
  labelNames?: readonly TLabel[];
}

export interface HistogramOptions<TLabel extends string> extends CounterOptions<TLabel> {
  /** Upper bounds of the buckets, ascending. */
  buckets?: readonly number[];
}

export interface Counter<TLabel extends string = string> {
  inc(value?: number): void;
  inc(labels: MetricLabels<TLabel>, value?: number): void;
}

export interface Gauge<TLabel extends string = string> {
  set(value: number): void;
  set(labels: MetricLabels<TLabel>, value: number): void;
  inc(value?: number): void;
  inc(labels: MetricLabels<TLabel>, value?: number): void;
  dec(value?: number): void;
  dec(labels: MetricLabels<TLabel>, value?: number): void;
}

export interface Histogram<TLabel extends string = string> {
  observe(value: number): void;
  observe(labels: MetricLabels<TLabel>, value: number): void;
}

/**
 * Where plugins record metrics. The host's default records nowhere until a plugin
 * (diagnostics) provides a {@link MetricsBackend} through `metricsBackendToken`.
 */
export interface Metrics {
  counter<TLabel extends string = never>(options: CounterOptions<TLabel>): Counter<TLabel>;
  gauge<TLabel extends string = never>(options: CounterOptions<TLabel>): Gauge<TLabel>;
  histogram<TLabel extends string = never>(options: HistogramOptions<TLabel>): Histogram<TLabel>;
}

/** A real metrics registry (e.g. prom-client) behind the host's {@link Metrics}. */
export type MetricsBackend = Metrics;

export const metricNamePattern = /^krakenkit_[a-z][a-z0-9_]*$/;
