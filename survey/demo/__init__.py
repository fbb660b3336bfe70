"""Demo data for `make run` and the benchmarks: a municipality, its surveys and answers."""
