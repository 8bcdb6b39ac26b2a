# syntax=docker/dockerfile:1
# Tuning Operator image: docker build -t tuning-operator:0.1.0 .
# Stage 1 resolves dependencies from pom.xml alone, so source changes reuse that layer.
FROM maven:3.9-eclipse-temurin-17 AS deps
WORKDIR /build
COPY pom.xml .
RUN mvn -B -q dependency:go-offline

# Stage 2 builds the shaded jar (tests run in CI, not in the image build).
FROM deps AS build
COPY src src
COPY config/argocd/argocd-cm.yaml config/argocd/argocd-cm.yaml
RUN mvn -B -q -o package -Dmaven.test.skip=true

# Runtime: a slim JRE, non-root, read-only root file system friendly (writes only to /tmp).
FROM eclipse-temurin:17-jre-jammy
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="tuning-operator" \
      org.opencontainers.image.description="Kubernetes operator that runs fine-tuning jobs on hosted providers as TuningJob resources" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.vendor="Tuning Operator" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
COPY --from=build /build/target/tuning-operator.jar /app/tuning-operator.jar
# Container-aware memory: the heap follows the container's memory limit; the Serial collector and
# the C1 compiler alone keep the memory beside the heap small (see Memory in the chart README).
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=75 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp" \
    HTTP_PORT=8080
# Class-data sharing: a training start (no API server answers; stopped after 10 s) records the
# classes the operator loads in an archive the JVM maps at every start instead of loading them
# from the jar again (e2e/bin/cds-archive.sh does the same for the benchmark).
RUN KUBECONFIG=/nonexistent KUBERNETES_MASTER=https://127.0.0.1:1 LEADER_ELECTION=false HTTP_PORT=0 \
    timeout -k 30 -s TERM 10 java -XX:ArchiveClassesAtExit=/app/tuning-operator.jsa \
    -jar /app/tuning-operator.jar >/dev/null 2>&1; test -s /app/tuning-operator.jsa
EXPOSE 8080
USER 65532:65532
# A missing or mismatched archive is skipped with a warning, never fatal.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/tuning-operator.jsa", "-jar", "/app/tuning-operator.jar"]
