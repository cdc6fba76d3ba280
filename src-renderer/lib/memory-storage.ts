/** A `Storage` that keeps its items in memory and forgets them with the page: where localStorage is missing or throws, and in tests. */
export function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (key) => data.get(key) ?? null,
    key: (index) => [...data.keys()][index] ?? null,
    removeItem: (key) => void data.delete(key),
    // As the Web Storage API does, a value is kept as a string.
    setItem: (key, value) => void data.set(key, String(value)),
  };
}
