import { describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../model/model-id.js';
import { ModelTracker } from './model-tracker.js';

const full: ModelMetadata = {
  id: { namespace: 'ns', name: 'm', commit: 'c'.repeat(40), hash: 'h', competitionId: '1' },
  block: 123,
};
const bare: ModelMetadata = { id: { namespace: 'ns', name: 'other' }, block: 5 };

describe('ModelTracker', () => {
  it('sets, gets, replaces and deletes', () => {
    const tracker = new ModelTracker();
    expect(tracker.get('a')).toBeUndefined();
    tracker.set('a', bare);
    tracker.set('a', full);
    expect(tracker.get('a')).toEqual(full);
    expect(tracker.size).toBe(1);
    expect(tracker.delete('a')).toBe(true);
    expect(tracker.delete('a')).toBe(false);
  });

  it('drops hotkeys that left the metagraph', () => {
    const tracker = new ModelTracker();
    tracker.set('a', full);
    tracker.set('b', bare);
    tracker.set('c', bare);
    expect(tracker.retainHotkeys(new Set(['b', 'z']))).toEqual(['a', 'c']);
    expect(tracker.entries()).toEqual([['b', bare]]);
  });

  it('round-trips through JSON text, leaving absent fields out', () => {
    const tracker = new ModelTracker();
    tracker.set('a', full);
    tracker.set('b', { id: { ...bare.id, commit: undefined }, block: 5 });
    const text = JSON.stringify(tracker);
    expect(text).not.toContain('commit":null');
    const back = ModelTracker.fromJSON(JSON.parse(text));
    expect(back.entries()).toEqual([
      ['a', full],
      ['b', bare],
    ]);
  });

  it('drops malformed entries and refuses a non-object', () => {
    const back = ModelTracker.fromJSON({
      ok: { id: { namespace: 'n', name: 'm', commit: null }, block: 1 },
      noBlock: { id: { namespace: 'n', name: 'm' } },
      badId: { id: { namespace: 1, name: 'm' }, block: 1 },
      badField: { id: { namespace: 'n', name: 'm', hash: 5 }, block: 1 },
      notObject: 'x',
    });
    expect(back.entries()).toEqual([['ok', { id: { namespace: 'n', name: 'm' }, block: 1 }]]);
    expect(() => ModelTracker.fromJSON([])).toThrow(/must be an object/);
    expect(() => ModelTracker.fromJSON(null)).toThrow(/must be an object/);
  });

  it('keeps keys named like Object.prototype members through JSON', () => {
    const tracker = new ModelTracker();
    for (const hotkey of ['__proto__', 'constructor', 'toString']) tracker.set(hotkey, full);
    const back = ModelTracker.fromJSON(JSON.parse(JSON.stringify(tracker)));
    expect(back.entries().map(([hotkey]) => hotkey)).toEqual(['__proto__', 'constructor', 'toString']);
  });
});
