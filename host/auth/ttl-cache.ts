// A TTL cache bounded in size, least recently used first out (lru-cache: a Map evicting its oldest key
// costs time proportional to the deletions made since V8 last compacted it).
import { LRUCache } from 'lru-cache';

export class TtlCache<V extends {}> {
  private readonly entries: LRUCache<string, V> | null;

  constructor(ttlMs: number, maxSize: number) {
    this.entries = ttlMs > 0 && maxSize > 0 ? new LRUCache<string, V>({ max: maxSize, ttl: ttlMs }) : null;
  }

  get(key: string): V | undefined {
    return this.entries?.get(key);
  }

  set(key: string, value: V): void {
    this.entries?.set(key, value);
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  clear(): void {
    this.entries?.clear();
  }
}
