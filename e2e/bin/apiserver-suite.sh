#!/usr/bin/env bash
# API-server suite: JOBS TuningJobs (default 40) while the operator's API server connection is
# dropped, the server goes away for OUTAGE_SECONDS (default 45) and returns, deletions start during
# the outage and annotation patches cause 409s; prints the verdict.
# Usage: e2e/bin/apiserver-suite.sh [JOBS] [OUTAGE_SECONDS]
exec "$(dirname "$0")/run-java.sh" dev.tuning.e2e.ApiServerSuite "$@"
