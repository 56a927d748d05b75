/** A span's attributes, read by name, remembering which were mapped so that only the rest stay in `attributes`. */
type Obj = Record<string, unknown>;

export class Attributes {
  readonly used = new Set<string>();
  constructor(readonly all: Obj) {}

  first(...keys: string[]): unknown {
    for (const key of keys) {
      const value = this.all[key];
      if (value !== undefined && value !== null && value !== "") {
        this.used.add(key);
        return value;
      }
    }
    return undefined;
  }

  text(...keys: string[]): string | null {
    const value = this.first(...keys);
    return typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
  }

  count(...keys: string[]): number | null {
    const value = Number(this.first(...keys));
    return Number.isFinite(value) && value >= 0 ? Math.min(Math.round(value), Number.MAX_SAFE_INTEGER) : null;
  }

  /**
   * The first present value of `keys` that `read` makes something of; then every present key counts as mapped
   * (they say the same thing). When `read` makes nothing of any, they all stay in the remaining attributes.
   */
  take<T>(keys: string[], read: (value: unknown, key: string) => T | null): T | null {
    for (const key of keys) {
      const value = this.all[key];
      if (value === undefined || value === null || value === "") continue;
      const result = read(value, key);
      if (result === null) continue;
      for (const other of keys) if (this.all[other] !== undefined) this.used.add(other);
      return result;
    }
    return null;
  }

  rest(): Obj {
    return Object.fromEntries(Object.entries(this.all).filter(([key]) => !this.used.has(key)));
  }
}
