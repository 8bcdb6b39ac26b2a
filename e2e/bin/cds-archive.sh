#!/usr/bin/env bash
# Class-data-sharing archive of the operator, made as the Dockerfile makes the image's: a training
# start against no API server, stopped after 10 s, records the classes loaded. Usage:
# e2e/bin/cds-archive.sh <jar> <archive>. The benchmark uses it to start the operator as the image
# does (java -XX:SharedArchiveFile=<archive> -jar <jar>).
set -uo pipefail
jar="$1"; archive="$2"
rm -f "$archive"
KUBECONFIG=/nonexistent KUBERNETES_MASTER=https://127.0.0.1:1 LEADER_ELECTION=false HTTP_PORT=0 \
  timeout -k 30 -s TERM 10 "${JAVA:-java}" -XX:ArchiveClassesAtExit="$archive" -jar "$jar" >/dev/null 2>&1
test -s "$archive"
