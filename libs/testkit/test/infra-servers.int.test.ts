import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInfra } from '../src/vitest-infra.ts';

const infra = testInfra();

describe('Redis from the provider', () => {
  const redis = new Redis(infra.redisUrl);
  afterAll(() => redis.disconnect());

  it('runs a Lua script atomically', async () => {
    const key = `test:${randomUUID()}`;
    // Increment and set a TTL in one step: the shape every burst counter of Vigil relies on.
    const script = "local n = redis.call('INCR', KEYS[1]); if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end; return n";
    const results = await Promise.all(Array.from({ length: 20 }, () => redis.eval(script, 1, key, '60000')));
    expect([...results].map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });
});

describe('MongoDB wire server from the provider, through mongoose', () => {
  const connection = mongoose.createConnection(infra.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  const Device = connection.model(
    `Device${randomUUID().slice(0, 8)}`,
    new mongoose.Schema(
      { tenantId: { type: String, required: true }, userId: { type: String, required: true }, name: String, revokedAt: Date },
      { timestamps: true },
    ).index({ tenantId: 1, userId: 1 }, { unique: true }),
  );

  beforeAll(async () => {
    await connection.asPromise();
    await Device.init();
  });
  afterAll(() => connection.close());

  it('creates, updates with findOneAndUpdate, enforces a unique index and deletes', async () => {
    const created = await Device.create({ tenantId: 'acme', userId: 'alice', name: 'Pixel' });
    expect(created.createdAt).toBeInstanceOf(Date);

    const updated = await Device.findOneAndUpdate(
      { tenantId: 'acme', userId: 'alice', revokedAt: { $exists: false } },
      { $set: { name: 'iPhone' } },
      { returnDocument: 'after' },
    );
    expect(updated?.name).toBe('iPhone');

    const duplicate = await Device.create({ tenantId: 'acme', userId: 'alice', name: 'Other' }).catch((error: unknown) => error);
    expect(duplicate).toMatchObject({ code: 11000 });

    const removed = await Device.deleteOne({ tenantId: 'acme', userId: 'alice' });
    expect(removed.deletedCount).toBe(1);
    expect(await Device.countDocuments({ tenantId: 'acme' })).toBe(0);
  });
});
