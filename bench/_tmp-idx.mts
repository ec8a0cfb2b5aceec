class StringIndex {
  private slots = new Int32Array(1 << 10).fill(-1);
  private mask = (1 << 10) - 1;
  readonly keys: string[] = [];
  indexOf(key: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    let s = h & this.mask;
    for (;;) {
      const v = this.slots[s]!;
      if (v < 0) break;
      if (this.keys[v] === key) return v;
      s = (s + 1) & this.mask;
    }
    const v = this.keys.length;
    this.keys.push(key);
    this.slots[s] = v;
    if (this.keys.length * 2 > this.mask) this.grow();
    return v;
  }
  private grow(): void {
    const size = (this.mask + 1) * 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.keys.forEach((k, v) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
      let s = h & this.mask;
      while (this.slots[s]! >= 0) s = (s + 1) & this.mask;
      this.slots[s] = v;
    });
  }
}
const N = 2_200_000;
const src = Array.from({ length: 10000 }, (_, i) => `u${String(i).padStart(5, '0')}`);
// fresh strings each time, like rows from a driver
const keys = Array.from({ length: N }, (_, i) => JSON.parse(`"${src[(i * 7919) % 10000]}"`) as string);
for (let rep = 0; rep < 3; rep++) {
  let c0 = process.cpuUsage(); const m = new Map<string, number>(); let s = 0;
  for (const k of keys) { let v = m.get(k); if (v === undefined) { v = m.size; m.set(k, v); } s += v; }
  console.log('Map', Math.round(process.cpuUsage(c0).user / 1000));
  c0 = process.cpuUsage(); const x = new StringIndex(); s = 0;
  for (const k of keys) s += x.indexOf(k);
  console.log('StringIndex', Math.round(process.cpuUsage(c0).user / 1000));
}
