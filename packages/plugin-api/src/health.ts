export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthReport {
  status: HealthStatus;
  /** One line for humans, e.g. "public socket reconnecting (attempt 3)". */
  message?: string;
  /** Structured facts for dashboards; never secrets. */
  details?: Record<string, unknown>;
}

/** A plugin's contribution to the app's health, collected by diagnostics. */
export interface HealthCheck {
  /** Component name, e.g. `'core-transport.public'`. */
  readonly name: string;
  check(): HealthReport | Promise<HealthReport>;
}
