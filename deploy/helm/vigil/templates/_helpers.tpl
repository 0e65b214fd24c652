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

{{- define "vigil.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "vigil.secretName" -}}
{{- if .Values.secrets.create -}}{{ printf "%s-secrets" .Release.Name }}{{- else -}}{{ required "secrets.existingSecret is required when secrets.create is false" .Values.secrets.existingSecret }}{{- end -}}
{{- end -}}

{{/* The port variable each service reads (CONTRACT §1), e.g. ANOMALY_PORT. */}}
{{- define "vigil.portEnv" -}}
{{- if eq . "anomaly-detection" -}}ANOMALY_PORT{{- else -}}{{ upper . }}_PORT{{- end -}}
{{- end -}}
