#!/usr/bin/env bash
# Fault suite: JOBS TuningJobs (default 200) with ~20 % of provider calls faulted; prints provider
# calls per job and the verdict (every job at its true terminal phase, 0 duplicates, 0 lost).
# Usage: e2e/bin/fault-suite.sh [JOBS]
exec "$(dirname "$0")/run-java.sh" dev.tuning.e2e.FaultSuite "$@"
