#!/usr/bin/env bash
# Benchmark: N TuningJobs (default 1000) against the real API server and the emulators, spread in
# turn over PROVIDERS (default openai,vertex,bedrock; openai,vertex is the earlier half-and-half
# run); prints figures, asserts nothing. Usage: e2e/bin/benchmark.sh [N] [PROVIDERS]
exec "$(dirname "$0")/run-java.sh" dev.tuning.e2e.Benchmark "$@"
