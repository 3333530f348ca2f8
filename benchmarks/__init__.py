"""simsav's benchmark suite (issue 6): workloads, yardsticks, asv benchmarks and ``python -m benchmarks``."""
