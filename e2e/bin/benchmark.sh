#!/usr/bin/env bash
# Scale benchmark: one real API server, the emulators and one operator process per phase (never two
# at once), started with the Helm chart's JVM settings (values.yaml javaToolOptions plus
# -XX:MaxRAM=<resources.limits.memory>). Prints every figure beside its same-run baseline and goal,
# then a summary table and the machine; asserts nothing.
# Phases (BENCH_PHASES, default apply,onekey,held; any subset, comma-separated):
#   apply   N TuningJobs (default 1000) spread over PROVIDERS (default openai,vertex,bedrock):
#           time to all Submitted / Succeeded, peak RSS, calls and reconciles per job, and a bare
#           Fabric8 client writing N status updates (the ratio Submitted / bare).
#   onekey  BENCH_ONE_KEY_JOBS OpenAI jobs (default 1000) on one key, production poll intervals and
#           budget (openai=5/s): peak calls/s, calls per running job per minute, a 429 burst,
#           status freshness p50/p99. The emulated jobs run BENCH_ONE_KEY_RUNNING seconds
#           (default BENCH_ONE_KEY_JOBS/5 + 240), so the phase takes at least that plus the wind-down.
#   held    BENCH_HELD_JOBS held jobs (default 10000) created before the operator starts:
#           start → ready, first reconcile of all, peak RSS, deletion (production poll intervals).
# The operator gets -XX:+UseSerialGC too, as the JVM picks in a pod with a limit below 1792 MiB;
# BENCH_OPERATOR_GC=host leaves the collector to this machine's ergonomics.
# Usage: e2e/bin/benchmark.sh [N] [PROVIDERS]
#   e.g. a smoke run: BENCH_ONE_KEY_JOBS=50 BENCH_HELD_JOBS=300 e2e/bin/benchmark.sh 60
exec "$(dirname "$0")/run-java.sh" dev.tuning.e2e.Benchmark "$@"
