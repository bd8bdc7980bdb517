/**
 * Keeps `value` under `key` as the most recently used entry of `map` (a Map keeps insertion
 * order, so re-inserting moves a key to the end), then drops the least recently used entries past
 * `max`. The few small caches of whole pages and figure sets use it.
 */
export function keepRecent<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value!);
}
