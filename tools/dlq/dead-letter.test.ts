import { describe, expect, it } from 'vitest';
import { deadLetterJson, formatDeadLetter, originalMessage, originalMessageId, parseDeadLetter, topicPair, type RawMessage } from './dead-letter.ts';
import { isReplayed, replayGroupFor, selectForReplay, type ReplayMarks } from './replay-marks.ts';

function parked(overrides: Partial<RawMessage> = {}, headers: Record<string, string> = {}): RawMessage {
  return {
    key: Buffer.from('acme:alice'),
    value: Buffer.from(JSON.stringify({ specversion: '1.0', id: 'evt-1', type: 'vigil.challenge.created', data: {} })),
    offset: '7',
    headers: {
      'content-type': Buffer.from('application/cloudevents+json'),
      traceparent: Buffer.from('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'),
      error: Buffer.from('TypeError: boom\n    at handler'),
      'error-kind': Buffer.from('failed'),
      'original-topic': Buffer.from('vigil.challenges.v1'),
      'original-partition': Buffer.from('2'),
      'original-offset': Buffer.from('41'),
      'original-timestamp': Buffer.from('1764400000000'),
      'consumer-group': Buffer.from('vigil-notification'),
      ...Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Buffer.from(value)])),
    },
    ...overrides,
  };
}

describe('dead letters', () => {
  it('names the same DLQ for a topic and for its DLQ', () => {
    expect(topicPair('vigil.challenges.v1')).toEqual({ topic: 'vigil.challenges.v1', dlqTopic: 'vigil.challenges.v1.dlq' });
    expect(topicPair('vigil.challenges.v1.dlq')).toEqual({ topic: 'vigil.challenges.v1', dlqTopic: 'vigil.challenges.v1.dlq' });
  });

  it('reads where a letter came from, why it died and which event it carries', () => {
    const letter = parseDeadLetter('vigil.challenges.v1.dlq', 0, parked());
    expect(letter).toMatchObject({
      dlqOffset: 7n, originalTopic: 'vigil.challenges.v1', originalPartition: 2, originalOffset: '41', consumerGroup: 'vigil-notification',
      errorKind: 'failed', eventType: 'vigil.challenge.created', eventId: 'evt-1',
    });
    expect(formatDeadLetter(letter, false)).toBe(
      '0:7  pending   vigil.challenges.v1/2@41  group=vigil-notification  kind=failed  vigil.challenge.created id=evt-1  error="TypeError: boom"',
    );
  });

  it('lists a letter whose value is not JSON without failing', () => {
    const letter = parseDeadLetter('vigil.challenges.v1.dlq', 0, parked({ value: Buffer.from('{"not json') }));
    expect(letter.eventType).toBeNull();
    expect(formatDeadLetter(letter, true)).toContain('replayed  vigil.challenges.v1/2@41');
    expect(formatDeadLetter(letter, true)).toContain('not a CloudEvent');
  });

  it('never prints the value, which may carry push tokens', () => {
    const letter = parseDeadLetter('vigil.factors.v1.dlq', 0, parked({ value: Buffer.from('{"type":"vigil.factors.snapshot","id":"e","data":{"pushToken":"tok-123"}}') }));
    expect(formatDeadLetter(letter, false)).not.toContain('tok-123');
    expect(JSON.stringify(deadLetterJson(letter, false))).not.toContain('tok-123');
  });

  it('gives back the original message: same key and bytes, its own headers, none of the DLQ ones', () => {
    const raw = parked();
    const message = originalMessage(parseDeadLetter('vigil.challenges.v1.dlq', 0, raw));
    expect(message.key).toBe(raw.key);
    expect(message.value).toBe(raw.value);
    expect(Object.keys(message.headers).sort()).toEqual(['content-type', 'traceparent']);
  });

  it('sends a letter back to the topic of its DLQ, whatever its original-topic header says', () => {
    const letter = parseDeadLetter('vigil.challenges.v1.dlq', 0, parked({}, { 'original-topic': 'vigil.factors.v1' }));
    expect(originalMessage(letter).topic).toBe('vigil.challenges.v1');
  });

  it('recognises copies of one message parked by two consumer groups', () => {
    const first = parseDeadLetter('vigil.challenges.v1.dlq', 0, parked());
    const second = parseDeadLetter('vigil.challenges.v1.dlq', 0, parked({ offset: '8' }, { 'consumer-group': 'vigil-anomaly' }));
    expect(originalMessageId(first)).toBe(originalMessageId(second));
  });
});

describe('replay marks', () => {
  const letter = (offset: string, group: string) => parseDeadLetter('t.dlq', 0, parked({ offset }, { 'consumer-group': group }));

  it('counts a letter as replayed below the all-letters mark or below its own consumer group mark', () => {
    const marks: ReplayMarks = { all: new Map([[0, 5n]]), byConsumerGroup: new Map([['a', new Map([[0, 9n]])]]) };
    expect(isReplayed(letter('4', 'b'), marks)).toBe(true);
    expect(isReplayed(letter('6', 'b'), marks)).toBe(false);
    expect(isReplayed(letter('8', 'a'), marks)).toBe(true);
    expect(isReplayed(letter('9', 'a'), marks)).toBe(false);
  });

  it('keeps one mark per consumer group filter', () => {
    expect(replayGroupFor(null)).toBe('vigil-dlq-replay');
    expect(replayGroupFor('vigil-notification')).toBe('vigil-dlq-replay.vigil-notification');
  });

  it('replays the pending letters of the chosen consumer group, each original message once', () => {
    const copy = parseDeadLetter('t.dlq', 0, parked({ offset: '3' }, { 'consumer-group': 'b' }));
    const letters = [letter('1', 'a'), letter('2', 'a'), copy, parseDeadLetter('t.dlq', 0, parked({ offset: '4' }, { 'consumer-group': 'b', 'original-offset': '99' }))];
    const marks: ReplayMarks = { all: new Map([[0, 2n]]), byConsumerGroup: new Map() };
    const all = selectForReplay(letters, marks, null);
    expect(all.published.map((chosen) => chosen.dlqOffset)).toEqual([2n, 4n]);
    expect(all.copies.map((chosen) => chosen.dlqOffset)).toEqual([3n]);
    expect(all.alreadyReplayed).toBe(1);
    const groupA = selectForReplay(letters, { all: new Map(), byConsumerGroup: new Map() }, 'a');
    expect(groupA.published.map((chosen) => chosen.dlqOffset)).toEqual([1n]);
    expect(groupA.copies.map((chosen) => chosen.dlqOffset)).toEqual([2n]);
    expect(groupA.filteredOut).toBe(2);
  });
});
