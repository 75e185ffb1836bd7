// Types for the third-party `kraken-api` npm client (it ships none), as far as the tests use it.
declare module 'kraken-api' {
  interface KrakenResponse {
    error: string[];
    result: Record<string, unknown>;
  }

  interface KrakenClientOptions {
    /** Base URL; default `https://api.kraken.com`. */
    url?: string;
    version?: number;
    timeout?: number;
    otp?: string;
  }

  /** `api(method, params)` posts to `/0/public/<method>` or `/0/private/<method>` (signed). */
  export default class KrakenClient {
    constructor(key: string, secret: string, options?: KrakenClientOptions);
    config: KrakenClientOptions & { key: string; secret: string };
    api(method: string, params?: Record<string, unknown>): Promise<KrakenResponse>;
  }
}
