// Queries built once and run many times (docs/decisions/030-per-request-cost.md). drizzle
// builds a query's SQL anew on every call, walking every selected column; for the by-id
// reads of a page that costs several times what SQLite takes to run them. A query made
// here is built on first use, once per key, with sql.placeholder() where the values go, and
// from then on only run.

type Store<K, Q> = { get(key: K): Q | undefined; set(key: K, query: Q): unknown };

function builtOncePer<K, Q>(store: Store<K, Q>, build: (key: K) => Q): (key: K) => Q {
  return (key) => {
    let query = store.get(key);
    if (query === undefined) {
      query = build(key);
      store.set(key, query);
    }
    return query;
  };
}

/** Once per shape of the query (say, the user's scope: scopeShape). */
export function preparedPerShape<S extends string, Q>(build: (shape: S) => Q): (shape: S) => Q {
  return builtOncePer(new Map<S, Q>(), build);
}

/** A query of one shape only. */
export function preparedOnce<Q>(build: () => Q): () => Q {
  let query: Q | undefined;
  return () => (query ??= build());
}

/**
 * Once per object it is asked on: a model function that takes a connection or a
 * transaction (reads inside a write must see its rows) prepares on that object. A
 * transaction's query lives as long as the transaction object.
 */
export function preparedPer<K extends object, Q>(build: (key: K) => Q): (key: K) => Q {
  return builtOncePer(new WeakMap<K, Q>(), build);
}
