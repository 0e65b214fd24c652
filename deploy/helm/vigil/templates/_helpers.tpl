{{- define "vigil.labels" -}}
app.kubernetes.io/part-of: vigil
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "vigil.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* The labels of one service's resources: the chart's and its name (its selector, without repeating the instance). */}}
{{- define "vigil.serviceLabels" -}}
{{ include "vigil.labels" .root }}
app.kubernetes.io/name: {{ .name }}
{{- end -}}

{{- define "vigil.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The port variable each service reads (CONTRACT §1), e.g. ANOMALY_PORT. */}}
{{- define "vigil.portEnv" -}}
{{- if eq . "anomaly-detection" -}}ANOMALY_PORT{{- else -}}{{ upper . }}_PORT{{- end -}}
{{- end -}}

{{/*
What each service reads besides what they all read (services/<name>/src/config.ts, and `useMongo` in main.ts). A
service's Secret holds only these, and its NetworkPolicy opens only the matching egress:
  mongo: MONGO_URL, egress to MongoDB.
  keys:  VIGIL_SERVER_SIGNING_KEY and VIGIL_SECRET_KEYS (the response signatures and the TOTP sealing keys).
  fcm:   FCM_SERVICE_ACCOUNT_JSON, egress to the internet (Firebase) or to the egress proxy.
The test checks this table against the services' code.
*/}}
{{- define "vigil.needsTable" -}}
enrollment: { mongo: true, keys: true }
challenge: {}
verification: { keys: true }
notification: { fcm: true }
anomaly-detection: { mongo: true }
{{- end -}}

{{/* The needs of one service, as YAML (use with fromYaml). Context: dict root, name. */}}
{{- define "vigil.needs" -}}
{{- index (include "vigil.needsTable" . | fromYaml) .name | default (dict) | toYaml -}}
{{- end -}}

{{/* The Secret a service's pod reads: the existing one named in secrets.existing, or the one the chart makes. */}}
{{- define "vigil.secretName" -}}
{{- if .root.Values.secrets.create -}}
{{- printf "%s-%s-secrets" .root.Release.Name .name -}}
{{- else -}}
{{- required (printf "secrets.existing.%s is required when secrets.create is false (the Secret of %s)" .name .name) (index (.root.Values.secrets.existing | default (dict)) .name) -}}
{{- end -}}
{{- end -}}

{{/* The SASL user name of a service; its principal User:<name> is what the ACL Job grants. Context: dict root, name. */}}
{{- define "vigil.kafkaUsername" -}}
{{- printf "%s%s" .root.Values.kafka.sasl.usernamePrefix .name -}}
{{- end -}}

{{/*
The keys of a service's own Secret (secrets.create: true), as stringData. Context: dict root, name. Every value the
service needs is required: a missing one stops rendering with its name rather than a service that fails at start.
*/}}
{{- define "vigil.secretData" -}}
{{- $values := $.root.Values.secrets.values | default (dict) -}}
{{- $needs := include "vigil.needs" $ | fromYaml -}}
{{- $keys := list "VIGIL_API_KEYS" "REDIS_URL" -}}
{{- if $needs.mongo }}{{ $keys = append $keys "MONGO_URL" }}{{ end -}}
{{- if $needs.keys }}{{ $keys = concat $keys (list "VIGIL_SERVER_SIGNING_KEY" "VIGIL_SECRET_KEYS") }}{{ end -}}
{{- range $keys }}
{{ . }}: {{ required (printf "secrets.values.%s is required when secrets.create is true (%s reads it)" . $.name) (index $values .) | quote }}
{{- end }}
{{- if and $needs.fcm $values.FCM_SERVICE_ACCOUNT_JSON }}
FCM_SERVICE_ACCOUNT_JSON: {{ $values.FCM_SERVICE_ACCOUNT_JSON | quote }}
{{- end }}
{{- if $.root.Values.kafka.sasl.mechanism }}
KAFKA_SASL_USERNAME: {{ include "vigil.kafkaUsername" $ | quote }}
KAFKA_SASL_PASSWORD: {{ required (printf "secrets.values.kafkaPasswords.%s is required when secrets.create is true and kafka.sasl.mechanism is set" $.name) (index ($values.kafkaPasswords | default (dict)) $.name) | quote }}
{{- end }}
{{- end -}}
