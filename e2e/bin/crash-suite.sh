#!/usr/bin/env bash
# Crash suite: SIGKILLs the operator at KILLS random points (default 200) while TuningJobs are
# submitted and creates are answered or landed late; prints the verdict (0 duplicates, 0 lost).
# Usage: e2e/bin/crash-suite.sh [KILLS]
exec "$(dirname "$0")/run-java.sh" dev.tuning.e2e.CrashSuite "$@"
