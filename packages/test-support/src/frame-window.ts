export interface FrameWindowResult {
  frames: number;
  /** From the first to the last counted frame's arrival, ms. */
  firstToLastMs: number;
  /** This process's CPU time from `arm` to the last frame, ms. */
  clientCpuMs: number;
}

/**
 * Measures one run of `N` frames in a benchmark client: `arm(N)`, call `count()` as each
 * frame is handled, and `wait()` for the timings. The waiter resolves on a microtask, after
 * the last frame's own handling finished.
 */
export class FrameWindow {
  #target = 0;
  #frames = 0;
  #firstAt = 0;
  #lastAt = 0;
  #armedCpu: NodeJS.CpuUsage | undefined;
  #cpu: NodeJS.CpuUsage | undefined;
  #done: (() => void) | undefined;

  arm(frames: number): void {
    this.#target = frames;
    this.#frames = 0;
    this.#armedCpu = process.cpuUsage();
  }

  count(): void {
    if (this.#target === 0) return;
    if (this.#frames === 0) this.#firstAt = performance.now();
    this.#frames += 1;
    if (this.#frames < this.#target) return;
    this.#lastAt = performance.now();
    this.#cpu = process.cpuUsage(this.#armedCpu);
    this.#target = 0;
    queueMicrotask(() => this.#done?.());
  }

  async wait(): Promise<FrameWindowResult> {
    if (this.#target > 0) {
      await new Promise<void>((resolve) => {
        this.#done = resolve;
      });
      this.#done = undefined;
    }
    const cpu = this.#cpu ?? { user: 0, system: 0 };
    return {
      frames: this.#frames,
      firstToLastMs: this.#lastAt - this.#firstAt,
      clientCpuMs: (cpu.user + cpu.system) / 1000,
    };
  }
}
