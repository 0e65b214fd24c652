import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '@vigil/logger';
import { startExpirySweeper } from '../src/adapters/expiry-sweeper.ts';

const quietLog = () => ({ warn: vi.fn() });

describe('the expiry sweeper', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sweeps once per interval, never starting a sweep while the last one is still running', async () => {
    let finish: (() => void) | undefined;
    const sweep = vi.fn(() => new Promise<number>((resolve) => { finish = () => resolve(0); }));
    const sweeper = startExpirySweeper({ sweep, intervalMs: 100, log: quietLog() as unknown as Logger });
    await vi.advanceTimersByTimeAsync(350);
    expect(sweep).toHaveBeenCalledTimes(1);
    finish?.();
    await vi.advanceTimersByTimeAsync(100);
    expect(sweep).toHaveBeenCalledTimes(2);
    sweeper.stop();
  });

  it('logs a failed sweep and tries again at the next tick', async () => {
    const log = quietLog();
    const sweep = vi.fn().mockRejectedValueOnce(new Error('redis down')).mockResolvedValue(0);
    const sweeper = startExpirySweeper({ sweep, intervalMs: 100, log: log as unknown as Logger });
    await vi.advanceTimersByTimeAsync(200);
    expect(log.warn).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), 'expiry sweep failed');
    expect(sweep).toHaveBeenCalledTimes(2);
    sweeper.stop();
  });

  it('sweeps no more once stopped', async () => {
    const sweep = vi.fn().mockResolvedValue(0);
    startExpirySweeper({ sweep, intervalMs: 100, log: quietLog() as unknown as Logger }).stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(sweep).not.toHaveBeenCalled();
  });
});
