# prescale's container image: a static binary on an empty base, with the CA
# certificates and nothing else (the datasets and time zones are embedded in
# the binary). It runs as the non-root user 65532, as the Helm chart expects.
#
#   docker build --build-arg VERSION=v0.1.0 -t ghcr.io/prescale-dev/prescale:v0.1.0 .
#
# `make image` builds the same image without a container engine (see the
# README); both compile the binary with `make static`.

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN make static VERSION=${VERSION} STATIC_BIN=/out/prescale

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/prescale /prescale
USER 65532:65532
ENTRYPOINT ["/prescale"]
CMD ["serve"]
