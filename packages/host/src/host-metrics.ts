import {
  type Counter,
  type CounterOptions,
  type Gauge,
  type Histogram,
  type HistogramOptions,
  KrakenkitError,
  type Metrics,
  type MetricsBackend,
  metricNamePattern,
} from '@krakenkit/plugin-api';

type Kind = 'counter' | 'gauge' | 'histogram';
type Instrument = Counter<string> & Gauge<string> & Histogram<string>;

/**
 * The host's {@link Metrics}: instruments record nowhere until a backend is attached
 * (diagnostics provides one), then forward to it. Instruments created before the backend
 * existed are bound when it arrives, so plugins can create them during setup.
 */
export class ForwardingMetrics implements Metrics {
  readonly #instruments = new Map<string, ForwardingInstrument>();
  #backend: MetricsBackend | undefined;

  attach(backend: MetricsBackend): void {
    this.#backend = backend;
    for (const instrument of this.#instruments.values()) instrument.bind(backend);
  }

  counter<TLabel extends string = never>(options: CounterOptions<TLabel>): Counter<TLabel> {
    return this.#instrument('counter', options);
  }

  gauge<TLabel extends string = never>(options: CounterOptions<TLabel>): Gauge<TLabel> {
    return this.#instrument('gauge', options);
  }

  histogram<TLabel extends string = never>(options: HistogramOptions<TLabel>): Histogram<TLabel> {
    return this.#instrument('histogram', options);
  }

  #instrument(kind: Kind, options: HistogramOptions<string>): Instrument {
    if (!metricNamePattern.test(options.name)) {
      throw new KrakenkitError(
        'INVALID_METRIC_NAME',
        `Metric name '${options.name}' must look like krakenkit_<area>_<what>_<unit>.`,
      );
    }
    const existing = this.#instruments.get(options.name);
    if (existing) {
      if (existing.kind !== kind) {
        throw new KrakenkitError(
          'METRIC_KIND_CONFLICT',
          `Metric '${options.name}' is already a ${existing.kind}; it cannot also be a ${kind}.`,
        );
      }
      return existing;
    }
    const instrument = new ForwardingInstrument(kind, options);
    if (this.#backend) instrument.bind(this.#backend);
    this.#instruments.set(options.name, instrument);
    return instrument;
  }
}

class ForwardingInstrument implements Instrument {
  #target: Instrument | undefined;

  constructor(
    readonly kind: Kind,
    readonly options: HistogramOptions<string>,
  ) {}

  bind(backend: MetricsBackend): void {
    this.#target = backend[this.kind](this.options) as Instrument;
  }

  inc(...args: unknown[]): void {
    this.#forward((target) => (target.inc as (...values: unknown[]) => void)(...args));
  }

  dec(...args: unknown[]): void {
    this.#forward((target) => (target.dec as (...values: unknown[]) => void)(...args));
  }

  set(...args: unknown[]): void {
    this.#forward((target) => (target.set as (...values: unknown[]) => void)(...args));
  }

  observe(...args: unknown[]): void {
    this.#forward((target) => (target.observe as (...values: unknown[]) => void)(...args));
  }

  #forward(call: (target: Instrument) => void): void {
    if (this.#target) call(this.#target);
  }
}
