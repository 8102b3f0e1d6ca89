// Fault injection for the lab's scenarios. Everything is off unless configured (see the
// FAULT_* settings in config.ts and the README). The operational endpoints are never affected,
// so probes and scrapes keep telling the truth about the process.
import { HttpError } from './errors.js';
import type { Logger } from './logger.js';

export interface FaultSettings {
  FAULT_LATENCY_MS: number;
  FAULT_LATENCY_JITTER_MS: number;
  FAULT_ROUTES: string;
  FAULT_ERROR_RATE: number;
  FAULT_MEMORY_LEAK_MB_PER_MIN: number;
  FAULT_MEMORY_LEAK_MAX_MB: number;
  FAULT_CPU_BURN_PERCENT: number;
}

const OPS_ROUTES = new Set(['/healthz', '/readyz', '/version', '/metrics']);

interface RouteRule {
  method?: string;
  template: string;
  prefix: boolean;
}

/** `"GET /api/products, /api/orders*"` → rules; an empty list means every API route. */
export function parseFaultRoutes(spec: string): RouteRule[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [first = '', second] = entry.split(/\s+/, 2);
      const method = second ? first.toUpperCase() : undefined;
      const raw = second ?? first;
      const prefix = raw.endsWith('*');
      return { method, template: prefix ? raw.slice(0, -1) : raw, prefix };
    });
}

export class FaultInjector {
  private readonly rules: RouteRule[];
  private readonly timers: NodeJS.Timeout[] = [];
  /** Memory the leak fault holds on purpose. */
  private readonly leaked: Buffer[] = [];

  constructor(
    private readonly settings: FaultSettings,
    private readonly random: () => number = Math.random,
  ) {
    this.rules = parseFaultRoutes(settings.FAULT_ROUTES);
  }

  get active(): string[] {
    const s = this.settings;
    const on: string[] = [];
    if (s.FAULT_LATENCY_MS || s.FAULT_LATENCY_JITTER_MS)
      on.push(`latency ${s.FAULT_LATENCY_MS}ms + jitter ${s.FAULT_LATENCY_JITTER_MS}ms`);
    if (s.FAULT_ERROR_RATE) on.push(`error rate ${s.FAULT_ERROR_RATE}`);
    if (s.FAULT_MEMORY_LEAK_MB_PER_MIN)
      on.push(
        `memory leak ${s.FAULT_MEMORY_LEAK_MB_PER_MIN}MB/min up to ${s.FAULT_MEMORY_LEAK_MAX_MB}MB`,
      );
    if (s.FAULT_CPU_BURN_PERCENT) on.push(`cpu burn ${s.FAULT_CPU_BURN_PERCENT}%`);
    return on;
  }

  applies(method: string, template: string): boolean {
    if (OPS_ROUTES.has(template)) return false;
    if (this.rules.length === 0) return true;
    return this.rules.some(
      (r) =>
        (!r.method || r.method === method) &&
        (r.prefix ? template.startsWith(r.template) : template === r.template),
    );
  }

  /** Runs before a matched route's handler: added latency, then maybe an injected error. */
  async beforeHandler(method: string, template: string): Promise<void> {
    const s = this.settings;
    if (!s.FAULT_LATENCY_MS && !s.FAULT_LATENCY_JITTER_MS && !s.FAULT_ERROR_RATE) return;
    if (!this.applies(method, template)) return;
    const delay = s.FAULT_LATENCY_MS + Math.round(this.random() * s.FAULT_LATENCY_JITTER_MS);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (s.FAULT_ERROR_RATE > 0 && this.random() < s.FAULT_ERROR_RATE) {
      throw new HttpError(500, 'injected_fault', 'injected fault (FAULT_ERROR_RATE)');
    }
  }

  /** Starts the background faults (memory leak, CPU burn); their timers never keep the process alive. */
  start(logger: Logger): void {
    const s = this.settings;
    if (s.FAULT_MEMORY_LEAK_MB_PER_MIN > 0) {
      const bytesPerTick = Math.ceil((s.FAULT_MEMORY_LEAK_MB_PER_MIN * 1024 * 1024) / 60);
      const cap = s.FAULT_MEMORY_LEAK_MAX_MB * 1024 * 1024;
      let held = 0;
      this.every(1000, () => {
        if (held + bytesPerTick > cap) return;
        this.leaked.push(Buffer.alloc(bytesPerTick, 1));
        held += bytesPerTick;
      });
    }
    if (s.FAULT_CPU_BURN_PERCENT > 0) {
      const busyMs = s.FAULT_CPU_BURN_PERCENT;
      this.every(100, () => {
        const until = performance.now() + busyMs;
        while (performance.now() < until) {
          // Deliberately blocks the event loop: this is the fault.
        }
      });
    }
    if (this.active.length > 0) logger.warn('fault injection active', { faults: this.active });
  }

  /** Bytes the memory-leak fault holds right now. */
  get leakedBytes(): number {
    return this.leaked.reduce((sum, b) => sum + b.length, 0);
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    this.leaked.length = 0;
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }
}
