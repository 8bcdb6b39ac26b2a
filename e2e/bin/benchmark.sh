#!/usr/bin/env bash
# Benchmark: N TuningJobs (default 1000) against the real API server and the emulators; prints
# figures, asserts nothing. Usage: e2e/bin/benchmark.sh [N]
exec "$(dirname "$0")/run-java.sh" dev.tuning.e2e.Benchmark "$@"
