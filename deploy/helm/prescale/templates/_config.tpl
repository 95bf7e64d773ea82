{{/* prescale.scalerConfig renders the ScalerConfig (scaler/config.go's field names). */}}
{{- define "prescale.scalerConfig" -}}
{{- $c := .Values.config -}}
apiVersion: prescale.dev/v1alpha1
kind: ScalerConfig
grpc:
  address: ":6000"
  drainTimeout: {{ $c.grpc.drainTimeout | quote }}
  {{- with .Values.tls.existingSecret }}
  tls:
    certFile: {{ printf "%s/%s" (include "prescale.tlsDir" $) $.Values.tls.certKey | quote }}
    keyFile: {{ printf "%s/%s" (include "prescale.tlsDir" $) $.Values.tls.keyKey | quote }}
    {{- if $.Values.tls.mutual }}
    clientCAFile: {{ printf "%s/%s" (include "prescale.tlsDir" $) $.Values.tls.clientCAKey | quote }}
    {{- end }}
  {{- end }}
http:
  address: ":8080"
  {{- if .Values.tls.existingSecret }}
  # /metrics and /healthz over the gRPC server's TLS; the kubelet probes a
  # plaintext /healthz-only port.
  tls: grpc
  healthAddress: ":8081"
  {{- end }}
  debug: {{ $c.http.debug }}
  pprof: {{ $c.http.pprof }}
limits:
  maxTriggers: {{ $c.limits.maxTriggers }}
  maxTriggersPerNamespace: {{ $c.limits.maxTriggersPerNamespace }}
store:
  path: {{ printf "%s/store.db" (include "prescale.storeDir" .) | quote }}
  retention: {{ $c.store.retention | quote }}
  fsync: {{ $c.store.fsync }}
  maxBytes: {{ include "prescale.storeBudget" . }}
refitWorkers: {{ $c.refitWorkers }}
queryTimeout: {{ $c.queryTimeout | quote }}
idleAfter: {{ $c.idleAfter | quote }}
{{- with $c.prometheus }}
prometheus:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.replays }}
replays:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.calendars }}
calendars:
{{- range . }}
- name: {{ .name | quote }}
  {{- if .path }}
  path: {{ .path | quote }}
  {{- else }}
  path: {{ printf "%s/%s" (include "prescale.calendarsDir" $) (include "prescale.calendarFile" .) | quote }}
  {{- end }}
  {{- with .replay }}
  replay: {{ . | quote }}
  {{- end }}
{{- end }}
{{- end }}
{{- end }}
