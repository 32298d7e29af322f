"""Speed and memory figures, printed, never asserted (`make benchmark`).

Each `benchmarks/bench_<block>.py` has `run(report)`; `report(name, value, unit)` prints a line.
The benchmarks run against a throw-away test database (DATABASE_URL picks the server).
"""
