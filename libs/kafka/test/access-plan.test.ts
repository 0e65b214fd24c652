import { describe, expect, it } from 'vitest';
import { EVENT_REGISTRY, EVENT_TYPES, SUBSCRIPTIONS, dlqTopic } from '@vigil/events';
import { accessPlan, kafkaAclsCommands, serviceAccess } from '../src/index.ts';

describe('Kafka access plan (CONTRACT §8 v2)', () => {
  it('lets each topic be written by its one producer, besides the DLQs of the groups that read it', () => {
    const writers = new Map<string, string[]>();
    for (const access of accessPlan()) for (const topic of access.write) writers.set(topic, [...(writers.get(topic) ?? []), access.service]);
    for (const type of EVENT_TYPES) expect(writers.get(EVENT_REGISTRY[type].topic), type).toEqual([EVENT_REGISTRY[type].producer]);
    for (const [service, subscription] of Object.entries(SUBSCRIPTIONS)) {
      for (const topic of subscription.topics) expect(writers.get(dlqTopic(topic)), topic).toContain(service);
    }
  });

  it('never lets challenge write decisions or factors, nor read what it does not consume', () => {
    const challenge = serviceAccess('challenge');
    expect(challenge.write).not.toContain('vigil.verifications.v1');
    expect(challenge.write).not.toContain('vigil.factors.v1');
    expect(challenge.read).toEqual(['vigil.factors.v1', 'vigil.user-risk.v1', 'vigil.verifications.v1']);
    expect(challenge.groups).toEqual(['challenge']);
    expect(serviceAccess('enrollment').describeGroups.sort()).toEqual(['challenge', 'notification', 'verification']);
  });

  it('prints one kafka-acls.sh line per grant, principals named by the prefix', () => {
    const lines = kafkaAclsCommands(accessPlan('acme-'));
    expect(lines).toContain('--add --allow-principal User:acme-verification --operation Write --topic vigil.verifications.v1');
    expect(lines).toContain('--add --allow-principal User:acme-challenge --operation Read --group challenge');
    expect(lines.every((line) => /^--add --allow-principal User:acme-[a-z-]+ --operation (Read|Write|Describe) --(topic|group) [a-z0-9.-]+$/.test(line))).toBe(true);
  });
});
