// The orders service's view of the catalog, over HTTP. Every call has a timeout; idempotent
// reads are retried a bounded number of times (network errors, timeouts, 5xx) with a short
// backoff; when the catalog stays unreachable the caller gets a CatalogUnavailableError (→ 503).
import axios, { type AxiosInstance } from 'axios';
import { ServiceUnavailableError } from '@cicd-lab/service-kit';

export interface CatalogProduct {
  id: string;
  sku: string;
  name: string;
  price: number;
  stock: number;
}

export class CatalogUnavailableError extends ServiceUnavailableError {
  constructor(reason: string) {
    super(
      'catalog_unavailable',
      'the catalog service is unavailable; the order was not placed, try again later',
      {
        reason,
      },
    );
  }
}

export interface CatalogClientOptions {
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
}

function describe(err: unknown): { retriable: boolean; reason: string } {
  if (axios.isAxiosError(err)) {
    if (err.response) {
      return {
        retriable: err.response.status >= 500,
        reason: `catalog answered ${err.response.status}`,
      };
    }
    if (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT')
      return { retriable: true, reason: 'catalog timed out' };
    return { retriable: true, reason: `catalog unreachable (${err.code ?? 'network error'})` };
  }
  return { retriable: false, reason: 'unexpected error calling catalog' };
}

export class CatalogClient {
  private readonly http: AxiosInstance;

  constructor(private readonly opts: CatalogClientOptions) {
    this.http = axios.create({
      baseURL: opts.baseUrl,
      timeout: opts.timeoutMs,
      // Never follow redirects or accept anything but JSON from a sibling service.
      maxRedirects: 0,
      headers: { Accept: 'application/json' },
    });
  }

  /** The product with this SKU, or null when the catalog says it does not exist. */
  async productBySku(sku: string, requestId?: string): Promise<CatalogProduct | null> {
    const attempts = this.opts.retries + 1;
    let last = 'no attempt made';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await this.http.get<CatalogProduct>(
          `/api/products/sku/${encodeURIComponent(sku)}`,
          {
            headers: requestId ? { 'X-Request-Id': requestId } : {},
          },
        );
        return res.data;
      } catch (err) {
        if (axios.isAxiosError(err) && err.response?.status === 404) return null;
        const { retriable, reason } = describe(err);
        last = reason;
        if (!retriable) break;
        if (attempt < attempts)
          await new Promise((r) => setTimeout(r, this.opts.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
    throw new CatalogUnavailableError(last);
  }
}
