/**
 * θ validation and the facade's error reporting (one clear line naming the bad value).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamRng } from '../src/random.js';
import { checkConfig, DEFAULT_HH_CONFIG, hhConfig } from '../src/simulators/config.js';
import { simulateSummary, simulateTrace } from '../src/simulators/simulate.js';
import { checkTheta } from '../src/simulators/validate.js';

function throwsLine(f: () => void, re: RegExp, type: new (...args: never[]) => Error = RangeError) {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    const msg = (e as Error).message;
    assert.ok(!msg.includes('\n'), `one line: ${msg}`);
    assert.match(msg, re);
    return true;
  });
}

test('checkTheta accepts valid θ for both fidelities', () => {
  checkTheta([120, 36, 0.3], 'hf');
  checkTheta(new Float64Array([50, 20, 0.1]), 'lf');
  checkTheta([0.02, 0.02, 1e-9], 'hf'); // exactly one channel of each kind
});

test('checkTheta rejects bad θ with a one-line RangeError naming the value', () => {
  throwsLine(() => checkTheta([120, 36], 'hf'), /expected 3 values.*got 2/);
  throwsLine(() => checkTheta([120, 36, 0.3, 1], 'lf'), /got 4/);
  throwsLine(() => checkTheta([NaN, 36, 0.3], 'lf'), /g_na = NaN/);
  throwsLine(() => checkTheta([120, Infinity, 0.3], 'hf'), /g_k = Infinity/);
  throwsLine(() => checkTheta([120, 36, -0.3], 'lf'), /g_l = -0.3.*positive/);
  throwsLine(() => checkTheta([0, 36, 0.3], 'lf'), /g_na = 0/);
  throwsLine(() => checkTheta([0.01, 36, 0.3], 'hf'), /g_na = 0.01 gives 0 Na channels/);
  throwsLine(() => checkTheta([120, 0.019, 0.3], 'hf'), /g_k = 0.019 gives 0 K channels/);
  // Fine for LF: no channel count there.
  checkTheta([0.01, 0.019, 0.3], 'lf');
  throwsLine(() => checkTheta([120, 36, 0.3], 'xf' as 'hf'), /bad fidelity/);
  throwsLine(() => checkTheta(['a', 36, 0.3] as unknown as number[], 'lf'), /g_na = a/);
});

test('simulateSummary validates θ before simulating', () => {
  throwsLine(() => simulateSummary('hf', [120, -1, 0.3], streamRng(1, 0)), /g_k = -1/);
  throwsLine(() => simulateTrace('lf', [120, 36], streamRng(1, 0)), /expected 3 values/);
});

test('a non-finite trace is an Error naming θ, never a NaN row', () => {
  // An absurd noise intensity drives V to ±Infinity/NaN.
  const cfg = hhConfig({ lf_sigma_uA_sqrt_ms_per_cm2: 1e308 });
  throwsLine(() => simulateSummary('lf', [120, 36, 0.3], streamRng(1, 0), cfg), /not finite.*theta = 120,36,0.3/, Error);
});

test('simulateSummary returns the 4 statistics and the HF event count', () => {
  const out = new Float64Array(4);
  const r = simulateSummary('lf', [120, 36, 0.3], streamRng(1, 0), DEFAULT_HH_CONFIG, out);
  assert.equal(r.x, out);
  assert.equal(r.events, 0);
  assert.ok(r.x.every(Number.isFinite));
  const h = simulateSummary('hf', [60, 30, 0.5], streamRng(1, 0));
  assert.ok(h.events > 1e5 && h.x.every(Number.isFinite));
  // Same stream, same result; the trace path agrees with the summary path.
  const t = simulateTrace('hf', [60, 30, 0.5], streamRng(1, 0));
  assert.equal(t.events, h.events);
});

test('checkConfig rejects non-finite or non-positive fields', () => {
  checkConfig(DEFAULT_HH_CONFIG);
  throwsLine(() => checkConfig(hhConfig({ dt_ms: 0 })), /dt_ms = 0/);
  throwsLine(() => checkConfig(hhConfig({ e_na_mV: NaN })), /e_na_mV = NaN/);
  throwsLine(() => checkConfig(hhConfig({ lf_sigma_uA_sqrt_ms_per_cm2: -1 })), /lf_sigma/);
});
