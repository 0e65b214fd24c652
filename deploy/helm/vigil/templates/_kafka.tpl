{{/*
Who talks to whom over Kafka, as libs/events says it: the topics each service produces (the producer of each event
type, registry.ts) and the topics it consumes in its group (SUBSCRIPTIONS, subscriptions.ts). The ACLs below are
derived from it the way accessPlan() in libs/kafka derives them, and the test compares the two: change the events,
change this table.
*/}}
{{- define "vigil.kafkaTraffic" -}}
enrollment:
  produces: [vigil.enrollment.v1, vigil.factors.v1]
  group: enrollment
  consumes: [vigil.verifications.v1, vigil.notifications.v1, vigil.user-risk.v1]
  # Read-your-writes (CONTRACT §2): a factor change answers once the groups that read factors have applied it.
  waitsForReadersOf: vigil.factors.v1
challenge:
  produces: [vigil.challenges.v1, vigil.policies.v1]
  group: challenge
  consumes: [vigil.factors.v1, vigil.verifications.v1, vigil.user-risk.v1]
verification:
  produces: [vigil.verifications.v1]
  group: verification
  consumes: [vigil.factors.v1, vigil.challenges.v1]
notification:
  produces: [vigil.notifications.v1]
  group: notification
  consumes: [vigil.factors.v1, vigil.challenges.v1]
anomaly-detection:
  produces: [vigil.fatigue-alerts.v1, vigil.user-risk.v1]
  group: anomaly-detection
  consumes: [vigil.challenges.v1, vigil.verifications.v1, vigil.notifications.v1]
{{- end -}}

{{/*
What one service's principal may do (CONTRACT §8 v2), as YAML: write its own topics and the DLQs of what it consumes
(where it parks messages), read what it consumes in its own group, describe the groups it waits for, and describe
every topic of the contract (the topic bootstrap checks they exist and creates nothing). Context: dict root, name.
*/}}
{{- define "vigil.kafkaAccess" -}}
{{- $traffic := include "vigil.kafkaTraffic" . | fromYaml -}}
{{- $own := index $traffic .name -}}
{{- $write := list -}}
{{- range $own.produces }}{{ $write = append $write . }}{{ end -}}
{{- range $own.consumes }}{{ $write = append $write (printf "%s.dlq" .) }}{{ end -}}
{{- $describeGroups := list -}}
{{- with $own.waitsForReadersOf -}}
{{- $topic := . -}}
{{- range $name := keys $traffic | sortAlpha }}{{ $other := index $traffic $name }}{{ if has $topic $other.consumes }}{{ $describeGroups = append $describeGroups $other.group }}{{ end }}{{ end -}}
{{- end -}}
{{- $describe := list -}}
{{- range .root.Values.topics.names }}{{ $describe = append (append $describe .) (printf "%s.dlq" .) }}{{ end -}}
{{- dict "principal" (printf "User:%s" (include "vigil.kafkaUsername" .)) "write" (sortAlpha $write) "read" (sortAlpha $own.consumes) "groups" (list $own.group) "describeGroups" $describeGroups "describe" (sortAlpha $describe) | toYaml -}}
{{- end -}}

{{/* Settings that cannot work together stop rendering here (included by the ConfigMap, which always renders). */}}
{{- define "vigil.validateKafka" -}}
{{- $kafka := .Values.kafka -}}
{{- $mechanism := $kafka.sasl.mechanism | default "" -}}
{{- if not (has $mechanism (list "" "scram-sha-512" "scram-sha-256" "plain")) -}}
{{- fail (printf "kafka.sasl.mechanism: %q is none of scram-sha-512, scram-sha-256, plain (or empty for no SASL)" $mechanism) -}}
{{- end -}}
{{- if and (eq $mechanism "plain") (not $kafka.ssl) -}}
{{- fail "kafka.sasl.mechanism plain needs kafka.ssl: true (the password would cross the network in clear)" -}}
{{- end -}}
{{- if and $kafka.caSecret (not $kafka.ssl) -}}
{{- fail "kafka.caSecret needs kafka.ssl: true" -}}
{{- end -}}
{{- if and $kafka.acls.job.enabled (not $mechanism) -}}
{{- fail "kafka.acls.job.enabled needs kafka.sasl.mechanism: ACLs grant SASL principals (set kafka.acls.job.enabled: false for a cluster without SASL)" -}}
{{- end -}}
{{- end -}}

{{- define "vigil.kafkaCaFile" -}}/etc/vigil/kafka-ca/ca.crt{{- end -}}

{{/* The volume and mount of the brokers' CA (kafka.caSecret); nothing without one. */}}
{{- define "vigil.kafkaCaVolume" -}}
{{- with .Values.kafka.caSecret -}}
- name: kafka-ca
  secret:
    secretName: {{ . }}
    items:
      - key: {{ $.Values.kafka.caSecretKey }}
        path: ca.crt
{{- end -}}
{{- end -}}

{{- define "vigil.kafkaCaMount" -}}
{{- if .Values.kafka.caSecret -}}
- name: kafka-ca
  mountPath: /etc/vigil/kafka-ca
  readOnly: true
{{- end -}}
{{- end -}}

{{/* The Secret that holds the Kafka admin principal of the topics and ACL Jobs. */}}
{{- define "vigil.kafkaAdminSecretName" -}}
{{- if .Values.secrets.create -}}
{{- printf "%s-kafka-admin-secrets" .Release.Name -}}
{{- else -}}
{{- required "secrets.existing.kafka-admin is required when secrets.create is false and kafka.sasl.mechanism is set (the Kafka admin principal of the topics and ACL Jobs)" (index (.Values.secrets.existing | default (dict)) "kafka-admin") -}}
{{- end -}}
{{- end -}}

{{/* Whether a Kafka admin Job runs as a Helm hook: then the admin Secret the chart makes must exist before it. */}}
{{- define "vigil.kafkaJobsAreHooks" -}}
{{- if or (and .Values.topics.job.enabled .Values.topics.job.hook) (and .Values.kafka.acls.job.enabled .Values.kafka.acls.job.hook) }}true{{ end -}}
{{- end -}}

{{- define "vigil.kafkaJobsEnabled" -}}
{{- if or .Values.topics.job.enabled .Values.kafka.acls.job.enabled }}true{{ end -}}
{{- end -}}

{{/* Environment of the Kafka admin Jobs (apache/kafka image): brokers, security and the admin principal. */}}
{{- define "vigil.kafkaAdminEnv" -}}
{{- $kafka := .Values.kafka }}
- name: KAFKA_BROKERS
  value: {{ $kafka.brokers | quote }}
- name: KAFKA_HEAP_OPTS
  value: "-Xmx256m"
- name: LOG_DIR
  value: /tmp
- name: ADMIN_SECURITY_PROTOCOL
  value: {{ if $kafka.ssl }}{{ if $kafka.sasl.mechanism }}SASL_SSL{{ else }}SSL{{ end }}{{ else }}{{ if $kafka.sasl.mechanism }}SASL_PLAINTEXT{{ else }}PLAINTEXT{{ end }}{{ end }}
{{- with $kafka.sasl.mechanism }}
- name: ADMIN_SASL_MECHANISM
  value: {{ upper . }}
- name: ADMIN_LOGIN_MODULE
  value: {{ if eq . "plain" }}org.apache.kafka.common.security.plain.PlainLoginModule{{ else }}org.apache.kafka.common.security.scram.ScramLoginModule{{ end }}
- name: ADMIN_USERNAME
  valueFrom:
    secretKeyRef: { name: {{ include "vigil.kafkaAdminSecretName" $ }}, key: KAFKA_SASL_USERNAME }
- name: ADMIN_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ include "vigil.kafkaAdminSecretName" $ }}, key: KAFKA_SASL_PASSWORD }
{{- end }}
{{- if $kafka.caSecret }}
- name: ADMIN_CA_FILE
  value: {{ include "vigil.kafkaCaFile" . }}
{{- end }}
{{- end -}}

{{/*
Shell that writes the admin client's settings to $ADMIN_CONFIG for --command-config. The password comes from the
Secret at run time and is written to the pod's memory-backed /tmp only. It is escaped twice: for the JAAS string (" and
\), then for the .properties file (\).
*/}}
{{- define "vigil.kafkaAdminConfigScript" -}}
umask 077
ADMIN_CONFIG=/tmp/kafka-admin.properties
printf 'security.protocol=%s\n' "$ADMIN_SECURITY_PROTOCOL" > "$ADMIN_CONFIG"
if [ -n "${ADMIN_SASL_MECHANISM:-}" ]; then
  escape() { printf '%s' "$1" | sed -e 's/[\\"]/\\&/g' -e 's/\\/\\\\/g'; }
  printf 'sasl.mechanism=%s\n' "$ADMIN_SASL_MECHANISM" >> "$ADMIN_CONFIG"
  printf 'sasl.jaas.config=%s required username="%s" password="%s";\n' \
    "$ADMIN_LOGIN_MODULE" "$(escape "$ADMIN_USERNAME")" "$(escape "$ADMIN_PASSWORD")" >> "$ADMIN_CONFIG"
fi
if [ -n "${ADMIN_CA_FILE:-}" ]; then
  printf 'ssl.truststore.type=PEM\nssl.truststore.location=%s\n' "$ADMIN_CA_FILE" >> "$ADMIN_CONFIG"
fi
{{- end -}}

{{/* The TCP ports of kafka.brokers (host:port,host:port), for the NetworkPolicies; 9092 where none is given. */}}
{{- define "vigil.kafkaPorts" -}}
{{- $ports := list -}}
{{- range splitList "," .Values.kafka.brokers -}}
{{- $port := regexFind ":[0-9]+$" (trim .) | trimPrefix ":" | default "9092" -}}
{{- $ports = append $ports (atoi $port) -}}
{{- end -}}
{{- uniq $ports | toJson -}}
{{- end -}}
