{{/* prescale.name is the chart's name. */}}
{{- define "prescale.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* prescale.fullname names the release's objects. */}}
{{- define "prescale.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "prescale.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "prescale.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* prescale.selectorLabels select the scaler's pods. */}}
{{- define "prescale.selectorLabels" -}}
app.kubernetes.io/name: {{ include "prescale.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* prescale.labels go on every object. */}}
{{- define "prescale.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "prescale.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: scaler
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* prescale.serviceAccountName is the pods' service account. */}}
{{- define "prescale.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "prescale.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* prescale.calendarsConfigMap names the ConfigMap of calendar files, or nothing. */}}
{{- define "prescale.calendarsConfigMap" -}}
{{- if .Values.calendarsConfigMap }}
{{- .Values.calendarsConfigMap }}
{{- else }}
{{- $any := false }}
{{- range .Values.calendars }}{{ if .content }}{{ $any = true }}{{ end }}{{ end }}
{{- if $any }}{{ printf "%s-calendars" (include "prescale.fullname" .) }}{{ end }}
{{- end }}
{{- end }}

{{/* prescale.calendarFile is a calendar entry's file name in the ConfigMap. */}}
{{- define "prescale.calendarFile" -}}
{{- default (printf "%s.yaml" .name) .file }}
{{- end }}

{{/* Where the pod mounts its volumes; the configuration refers to them. */}}
{{- define "prescale.configDir" -}}/etc/prescale/config{{- end }}
{{- define "prescale.calendarsDir" -}}/etc/prescale/calendars{{- end }}
{{- define "prescale.tlsDir" -}}/etc/prescale/tls{{- end }}
{{- define "prescale.storeDir" -}}/var/lib/prescale{{- end }}

{{/*
prescale.storeBudget is the store's size budget in bytes (the scaler's
store.maxBytes): config.store.maxBytes, or else limits.maxTriggers x
storeVolume.bytesPerTrigger (the history of one trigger at the retention and
step most triggers use, with its forecast), at least the scaler's minimum of
64 MiB.
*/}}
{{- define "prescale.storeBudget" -}}
{{- if .Values.config.store.maxBytes -}}
{{ int64 .Values.config.store.maxBytes }}
{{- else -}}
{{ max (mul .Values.config.limits.maxTriggers .Values.storeVolume.bytesPerTrigger) 67108864 }}
{{- end -}}
{{- end }}

{{/*
prescale.storeSizeLimit is storeVolume.sizeLimit, or else derived from the
store budget: two and a half times it (the file at its budget, its
compacted copy while a compaction runs, and bbolt's free pages), in MiB.
*/}}
{{- define "prescale.storeSizeLimit" -}}
{{- if .Values.storeVolume.sizeLimit -}}
{{ .Values.storeVolume.sizeLimit }}
{{- else -}}
{{- $bytes := int64 (include "prescale.storeBudget" .) -}}
{{- $mib := add1 (div (mul $bytes 5) (mul 2 1048576)) -}}
{{ $mib }}Mi
{{- end -}}
{{- end }}
