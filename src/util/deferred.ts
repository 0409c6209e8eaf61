/** A value worked out only when first read: rules' CEL values hold many fields (an identity's
 * reach chains, its effective-permission summary) that most rules never look at, so building and
 * converting them for every identity would be most of the evaluation's cost. */
export class Deferred<T> {
  private value?: { v: T };
  constructor(private readonly compute: () => T) {}
  get(): T {
    return (this.value ??= { v: this.compute() }).v;
  }
}
