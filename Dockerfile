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
# Container-aware memory: the heap follows the container's memory limit.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp" \
    HTTP_PORT=8080
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["java", "-jar", "/app/tuning-operator.jar"]
