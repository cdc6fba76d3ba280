import { describe, expect, test } from 'vitest';
import { memoryStorage } from '../../src-renderer/lib/memory-storage';

describe('memoryStorage (the app without localStorage, and every renderer test)', () => {
  test('keeps, lists, removes and clears items as Storage does, values as strings', () => {
    const storage = memoryStorage();
    expect(storage.getItem('a')).toBeNull();
    storage.setItem('a', '1');
    storage.setItem('b', 2 as unknown as string);
    expect(storage.length).toBe(2);
    expect([storage.key(0), storage.key(1), storage.key(2)]).toEqual(['a', 'b', null]);
    expect(storage.getItem('b')).toBe('2');
    storage.removeItem('a');
    expect(storage.getItem('a')).toBeNull();
    expect(storage.length).toBe(1);
    storage.clear();
    expect(storage.length).toBe(0);
  });

  test('two storages share nothing', () => {
    const one = memoryStorage();
    one.setItem('k', 'v');
    expect(memoryStorage().getItem('k')).toBeNull();
  });
});
