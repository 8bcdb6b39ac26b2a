{{/* Chart name, overridable. */}}
{{- define "tuning-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name for cluster-unique and namespaced resources: the release name if it already contains the
chart name, else "<release>-<chart>". At most 63 characters (a DNS label).
*/}}
{{- define "tuning-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tuning-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "tuning-operator.labels" -}}
helm.sh/chart: {{ include "tuning-operator.chart" . }}
{{ include "tuning-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: tuning-operator
{{- end }}

{{/* Selector labels: stable across upgrades. */}}
{{- define "tuning-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tuning-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The ServiceAccount the operator runs as. */}}
{{- define "tuning-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tuning-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image reference: repository@digest when a digest is set, else repository:tag. */}}
{{- define "tuning-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The least-privilege rules of config/rbac/role.yaml, shared by the ClusterRole and the per-namespace
Roles: only the requests the operator makes. TuningJobs get/list/watch and patch (the finalizer is
added and removed with a JSON patch), status update (a PUT with the resourceVersion), Events
create, and Secrets by name only (get: never list or watch).
*/}}
{{- define "tuning-operator.rules" -}}
- apiGroups: ["tuning.dev"]
  resources: ["tuningjobs"]
  verbs: ["get", "list", "watch", "patch", "delete"]
- apiGroups: ["tuning.dev"]
  resources: ["tuningjobs/status"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/* Configuration checks that the schema cannot express; fail with a clear message. */}}
{{- define "tuning-operator.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail (printf "replicaCount is %d but leaderElection.enabled is false: several replicas without leader election would reconcile the same TuningJobs concurrently. Set leaderElection.enabled=true or replicaCount=1." (int .Values.replicaCount)) }}
{{- end }}
{{- if and .Values.defaultCredentials.openai.existingSecret (not .Values.defaultCredentials.enabled) }}
{{- fail "defaultCredentials.openai.existingSecret is set but defaultCredentials.enabled is false: the operator would ignore the key. Enable defaultCredentials or unset the Secret." }}
{{- end }}
{{- end }}

{{/*
Labels of the Argo CD hook resources: not the operator's selector labels, so the metrics Service
never selects a hook pod.
*/}}
{{- define "tuning-operator.argocdLabels" -}}
helm.sh/chart: {{ include "tuning-operator.chart" . }}
app.kubernetes.io/name: {{ printf "%s-argocd-config" (include "tuning-operator.name" .) | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: argocd-config
app.kubernetes.io/part-of: tuning-operator
{{- end }}
