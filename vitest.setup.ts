// Property tests share one fast-check seed per run: fixed by default so CI is reproducible,
// IRQSCOPE_FC_SEED=<n> replays a failure, IRQSCOPE_FC_SEED=random hunts with a fresh one.
import fc from 'fast-check';

const DEFAULT_SEED = 20261207;
const env = process.env.IRQSCOPE_FC_SEED;
const seed = env === 'random' ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : env ? Number(env) : DEFAULT_SEED;
if (!Number.isInteger(seed)) throw new Error(`IRQSCOPE_FC_SEED must be an integer or "random", got ${JSON.stringify(env)}`);
fc.configureGlobal({ seed });
if (env) console.log(`fast-check seed ${seed} (replay with IRQSCOPE_FC_SEED=${seed})`);
