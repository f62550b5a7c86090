// Types for Node's fast latin1 Buffer methods (present on every Buffer, missing from @types/node).
export {};
declare global {
  interface Buffer<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> {
    latin1Slice(start?: number, end?: number): string;
    latin1Write(s: string, offset?: number, length?: number): number;
    /** @internal marker so the generic parameter is used */
    readonly __latin1ext?: TArrayBuffer;
  }
}
