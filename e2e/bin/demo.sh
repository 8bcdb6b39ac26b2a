#!/usr/bin/env bash
# The local demo: a real kube-apiserver + etcd, the OpenAI, Vertex AI and Amazon Bedrock emulators
# and the operator process, all on 127.0.0.1. Applies config/samples, shows the TuningJobs moving
# through their phases (kubectl get tj -w) and cleans everything up on exit (also on Ctrl-C).
exec "$(dirname "$0")/run-java.sh" dev.tuning.e2e.Demo "$@"
