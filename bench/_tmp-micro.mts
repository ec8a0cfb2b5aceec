const N = 1_200_000;
const t0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = Array.from({ length: N }, (_, i) => new Date(t0 + i * 2000).toISOString());
const ids = Array.from({ length: N }, (_, i) => `K${String(i).padStart(25, '0')}`);
let a = performance.now(); let s = 0;
for (const x of iso) s += Date.parse(x);
console.log('Date.parse', Math.round(performance.now() - a));
a = performance.now(); const m = new Map<string, number>();
for (let i = 0; i < N; i++) m.set(ids[i]!, i);
console.log('Map.set', Math.round(performance.now() - a));
a = performance.now(); const arr: number[] = [];
for (let i = 0; i < N; i++) arr.push(i);
console.log('push', Math.round(performance.now() - a));
const keys = [['a','b'],['c']];
a = performance.now(); let z = 0;
for (let i = 0; i < N; i++) { const k = keys[i % 2]!; const sorted = k.length === 1 ? k : [...new Set(k)].sort(); z += sorted.join('\n').length; }
console.log('combo', Math.round(performance.now() - a));
