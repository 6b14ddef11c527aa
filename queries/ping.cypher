// title: Liveness
// description: The cheapest query a store can answer: used by /health to tell whether the store is up.
// max_rows: 1
RETURN 1 AS ok
