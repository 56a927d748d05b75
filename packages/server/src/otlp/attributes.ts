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

  /** The first present value of `keys`; every present one counts as mapped (they say the same thing). */
  take(...keys: string[]): unknown {
    const value = this.first(...keys);
    for (const key of keys) if (this.all[key] !== undefined) this.used.add(key);
    return value;
  }

  rest(): Obj {
    return Object.fromEntries(Object.entries(this.all).filter(([key]) => !this.used.has(key)));
  }
}
