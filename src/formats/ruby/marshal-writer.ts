/**
 * A minimal writer of Ruby's Marshal 4.8 format, for the gemspecs older `gem` releases fetch
 * (docs/formats/ruby.md, "Marshal gemspec"). Only what a gemspec holds: nil, booleans, small
 * integers, UTF-8 strings, symbols (later uses as links), arrays, string hashes, plain objects
 * and objects with marshal_dump (`U`) or _dump (`u`).
 */
export type MarshalValue =
  | null
  | boolean
  | number
  | string
  | MarshalValue[]
  | { kind: 'symbol'; name: string }
  | { kind: 'hash'; entries: [MarshalValue, MarshalValue][] }
  | { kind: 'object'; className: string; ivars: [string, MarshalValue][] }
  | { kind: 'userMarshal'; className: string; data: MarshalValue }
  | { kind: 'userDump'; className: string; bytes: Buffer };

export const symbol = (name: string): MarshalValue => ({ kind: 'symbol', name });

export function marshalDump(value: MarshalValue): Buffer {
  const writer = new Writer();
  writer.bytes([4, 8]);
  writer.value(value);
  return Buffer.concat(writer.chunks);
}

class Writer {
  readonly chunks: Buffer[] = [];
  private readonly symbols = new Map<string, number>();

  bytes(bytes: number[] | Buffer): void {
    this.chunks.push(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes));
  }

  /** Marshal's packed integer. */
  integer(n: number): void {
    if (!Number.isInteger(n) || Math.abs(n) >= 2 ** 30) throw new Error(`integer ${n} is out of range`);
    if (n === 0) return this.bytes([0]);
    if (n > 0 && n < 123) return this.bytes([n + 5]);
    if (n < 0 && n > -124) return this.bytes([(n - 5) & 0xff]);
    const out: number[] = [];
    let rest = n;
    for (let index = 0; index < 4; index += 1) {
      out.push(rest & 0xff);
      rest >>= 8;
      if ((n >= 0 && rest === 0) || (n < 0 && rest === -1)) break;
    }
    this.bytes([n >= 0 ? out.length : 256 - out.length, ...out]);
  }

  symbol(name: string): void {
    const link = this.symbols.get(name);
    if (link !== undefined) {
      this.bytes([0x3b]);
      return this.integer(link);
    }
    this.symbols.set(name, this.symbols.size);
    const bytes = Buffer.from(name);
    this.bytes([0x3a]);
    this.integer(bytes.length);
    this.bytes(bytes);
  }

  /** A UTF-8 string: `I"` + bytes, with the ivar E=true that marks its encoding. */
  string(text: string): void {
    const bytes = Buffer.from(text);
    this.bytes([0x49, 0x22]);
    this.integer(bytes.length);
    this.bytes(bytes);
    this.integer(1);
    this.symbol('E');
    this.bytes([0x54]);
  }

  value(value: MarshalValue): void {
    if (value === null) return this.bytes([0x30]);
    if (value === true) return this.bytes([0x54]);
    if (value === false) return this.bytes([0x46]);
    if (typeof value === 'number') {
      this.bytes([0x69]);
      return this.integer(value);
    }
    if (typeof value === 'string') return this.string(value);
    if (Array.isArray(value)) {
      this.bytes([0x5b]);
      this.integer(value.length);
      for (const item of value) this.value(item);
      return;
    }
    switch (value.kind) {
      case 'symbol':
        return this.symbol(value.name);
      case 'hash':
        this.bytes([0x7b]);
        this.integer(value.entries.length);
        for (const [key, item] of value.entries) {
          this.value(key);
          this.value(item);
        }
        return;
      case 'object':
        this.bytes([0x6f]);
        this.symbol(value.className);
        this.integer(value.ivars.length);
        for (const [name, item] of value.ivars) {
          this.symbol(name);
          this.value(item);
        }
        return;
      case 'userMarshal':
        this.bytes([0x55]);
        this.symbol(value.className);
        return this.value(value.data);
      case 'userDump':
        this.bytes([0x75]);
        this.symbol(value.className);
        this.integer(value.bytes.length);
        return this.bytes(value.bytes);
    }
  }
}
