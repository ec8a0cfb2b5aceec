async function* gen(n: number) { for (let i = 0; i < n; i++) yield i; }
function* sgen(n: number) { for (let i = 0; i < n; i++) yield i; }
for (let rep = 0; rep < 2; rep++) {
  let c0 = process.cpuUsage(); let s = 0;
  for await (const x of gen(1_200_000)) s += x;
  console.log('async gen 1.2M', Math.round(process.cpuUsage(c0).user / 1000));
  c0 = process.cpuUsage(); s = 0;
  for (const x of sgen(1_200_000)) s += x;
  console.log('sync gen 1.2M', Math.round(process.cpuUsage(c0).user / 1000));
}
