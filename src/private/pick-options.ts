/**
 * Options passed by name: a service hands its monitoring and its alarms a copy of exactly the
 * option keys they take, not its whole props, so the call site shows what a child reads and a
 * future prop that shares a name with an option cannot flow in unseen (the model: aws-ecs-patterns
 * passes every prop by name).
 */

/**
 * Every key of `T`, each once. An object literal of this type lists exactly the keys of `T`: a
 * key that `T` does not have, or one of `T`'s keys left out, does not compile.
 */
export type KeysOf<T> = { readonly [K in keyof Required<T>]: true };

/** A copy of the keys of `source` listed in `keys` (those set), typed as the options `T`. */
export function pickOptions<T extends object>(source: T, keys: KeysOf<T>): T {
  const picked: Partial<T> = {};
  for (const key of Object.keys(keys) as Array<keyof T>) {
    if (source[key] !== undefined) {
      picked[key] = source[key];
    }
  }
  return picked as T;
}
