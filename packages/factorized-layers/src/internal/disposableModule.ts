/**
 * What the modules of this package that own variables share (FactorizedConv,
 * FactorizedLinear, FactorizedEmbedding, TCL, TRL, TensorizedTensor): `dispose()` frees what
 * they own once (a second call does nothing), `isDisposed` tells, and any use after dispose
 * throws an ArgumentError saying which object it was.
 */
import { ArgumentError } from '@tenfold/core';

export abstract class DisposableModule {
  private disposed = false;

  /** The class name used in messages, e.g. 'FactorizedConv'. */
  protected abstract readonly moduleName: string;

  /** Free the variables and tensors this object owns (called once, by `dispose()`). */
  protected abstract disposeOwned(): void;

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Free every variable this object owns. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposeOwned();
    this.disposed = true;
  }

  /** @throws ArgumentError when used after dispose(). */
  protected checkAlive(): void {
    if (this.disposed) throw new ArgumentError(`this ${this.moduleName} has been disposed`);
  }
}
