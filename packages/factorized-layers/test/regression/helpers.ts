/** Shared by the regression and hooks fixture tests: fixture parameters as factorized tensors. */
import { FactorizedTensor, TRL, type FactorizedParams } from '../../src/index.js';
import { fx, type FixtureCase } from '../../../../test-utils/index.js';

export function factorizedParamsOf(kind: string, p: FixtureCase['inputs']): FactorizedParams {
  if (kind === 'cp') return { kind, weights: fx(p.weights), factors: p.factors.map(fx) };
  if (kind === 'tucker') return { kind, core: fx(p.core), factors: p.factors.map(fx) };
  return { kind: 'tt', factors: p.factors.map(fx) };
}

/** A TRL holding a case's recorded weight parameters and bias. */
export function trlFromCase(c: FixtureCase): TRL {
  const i = c.inputs;
  const weight = FactorizedTensor.fromParams(factorizedParamsOf(i.factorization, i.params));
  const trl = new TRL({ inputShape: i.input_shape, outputShape: i.output_shape, factorization: weight, bias: true });
  const b = fx(i.bias);
  trl.bias!.assign(b.reshape(trl.outputShape));
  b.dispose();
  return trl;
}

