import type { Logger } from './logger.js';
import type { Counter, Gauge, Histogram, Metrics } from './metrics.js';

const ignore = () => undefined;

/** A logger that logs nowhere: the default for classes used outside a host. */
export const silentLogger: Logger = {
  level: 'silent',
  fatal: ignore,
  error: ignore,
  warn: ignore,
  info: ignore,
  debug: ignore,
  trace: ignore,
  child: () => silentLogger,
  isLevelEnabled: () => false,
};

const silentInstrument: Counter<string> & Gauge<string> & Histogram<string> = {
  inc: ignore,
  dec: ignore,
  set: ignore,
  observe: ignore,
};

/** Metrics that record nowhere: the default for classes used outside a host. */
export const silentMetrics: Metrics = {
  counter: () => silentInstrument,
  gauge: () => silentInstrument,
  histogram: () => silentInstrument,
};
