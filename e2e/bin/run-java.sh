#!/usr/bin/env bash
# Runs a Java main class of the e2e sources (demo, benchmark, emulators) with the test classpath.
# Builds what is missing first: the kube-apiserver/etcd/kubectl binaries (cached), the operator
# jar and the compiled test sources. Usage: e2e/bin/run-java.sh <main class> [args...]
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '[run] %s\n' "$*" >&2; }
command -v java >/dev/null || { echo "java not found: install a JDK 17+" >&2; exit 1; }
command -v mvn >/dev/null || { echo "mvn not found: install Maven 3.8+" >&2; exit 1; }

bash e2e/bin/build-kube-binaries.sh >/dev/null

if [ ! -f target/tuning-operator.jar ] || [ ! -d target/test-classes/dev/tuning/e2e ] \
   || [ -n "$(find src e2e pom.xml -newer target/tuning-operator.jar -type f -print -quit)" ]; then
  say "building the operator and the e2e sources (mvn package -DskipTests)"
  mvn -B -q package -DskipTests
fi
if [ ! -f target/test-classpath.txt ] || [ pom.xml -nt target/test-classpath.txt ]; then
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
fi

main="$1"; shift
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" "$main" "$@"
