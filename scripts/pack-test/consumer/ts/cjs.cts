// TypeScript CommonJS consumer: `import x = require()` resolves the `require` types (.d.cts).
import core = require('@tenfold/core');
import rank = require('@tenfold/rank');

core.ready().then((info: core.BackendInfo) => {
  const r: rank.EstimateRankResult = rank.estimateRank(core.tf.randomNormal([16, 12], 0, 1, 'float32', 3));
  console.log(JSON.stringify({ backend: info.name, estRank: r.rank }));
});
