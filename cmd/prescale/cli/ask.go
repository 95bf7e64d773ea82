package cli

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/prescale-dev/prescale/scaler"
	"github.com/prescale-dev/prescale/simulator/scaledobject"
)

// askFlags are the flags of prescale ask.
type askFlags struct {
	scaledObject, scaledObjectName string
	namespace, name                string
	addr, httpAddr                 string
	caCert, clientCert, clientKey  string
	tls, unsafeSSL                 bool
	serverName                     string
	timeout                        time.Duration
	output                         string
}

// askTarget is one trigger to ask about, with the metadata KEDA sends.
type askTarget struct {
	Namespace string            `json:"namespace"`
	Name      string            `json:"name"`
	Trigger   int               `json:"trigger"`
	Address   string            `json:"address"`
	Metadata  map[string]string `json:"-"`
}

// askResult is what ask found for one trigger.
type askResult struct {
	askTarget
	Metric      string              `json:"metric"`
	Target      float64             `json:"targetPerPod"`
	Value       float64             `json:"value"`
	Replicas    int                 `json:"replicas"`
	Active      bool                `json:"active"`
	Explanation *scaler.Explanation `json:"explanation,omitempty"`
	Unexplained string              `json:"unexplained,omitempty"`
}

func newAskCommand() *cobra.Command {
	var f askFlags
	cmd := &cobra.Command{
		Use:   "ask [--scaledobject FILE | KEY=VALUE ...]",
		Short: "Ask a running scaler for a trigger's replicas exactly as KEDA does, and show why",
		Long: `ask calls a running prescale serve as KEDA's external scaler does for each
external trigger of a ScaledObject file (--scaledobject) or for the trigger
metadata given as KEY=VALUE arguments: GetMetricSpec, GetMetrics for the
metric it names, then IsActive, with the metadata KEDA would send. It
prints the value, the replicas the HPA derives from it (ceil(value /
target per pod)) and, from the scaler's HTTP address (served with
prescale serve --debug), the decision's explanation as prescale explain
shows it. Like KEDA's first call, it registers the trigger with the
scaler.

The gRPC address is --addr, else the trigger's scalerAddress, else
127.0.0.1:6000. TLS is on with the trigger's enableTLS: "true", --tls, or
any of --ca-cert, --tls-client-cert and --tls-client-key: the PEM files of
KEDA's TriggerAuthentication parameters caCert, tlsClientCert and
tlsClientKey (mutual TLS with the last two).`,
		Example: `  prescale serve --debug &
  prescale ask --scaledobject deploy/examples/scaledobject-demo.yaml --addr 127.0.0.1:6000
  prescale ask prometheus=nasa query=requests_per_minute targetPerPod=10 leadTime=6m calendar=nasa-1995
  prescale ask --scaledobject so.yaml --addr prescale.keda:6000 --http-addr https://prescale.keda:8080 \
      --ca-cert ca.crt --tls-client-cert client.crt --tls-client-key client.key`,
		RunE: func(cmd *cobra.Command, args []string) error { return runAsk(cmd, &f, args) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.scaledObject, "scaledobject", "", "KEDA ScaledObject file whose external triggers are asked about")
	fs.StringVar(&f.scaledObjectName, "scaledobject-name", "", "the ScaledObject to read when the file holds several")
	fs.StringVar(&f.namespace, "namespace", "default", "namespace sent with KEY=VALUE metadata")
	fs.StringVar(&f.name, "name", "ask", "ScaledObject name sent with KEY=VALUE metadata")
	fs.StringVar(&f.addr, "addr", "", "gRPC address of the scaler (default: the trigger's scalerAddress, else "+scaler.DefaultGRPCAddress+")")
	fs.StringVar(&f.httpAddr, "http-addr", "http://"+scaler.DefaultHTTPAddress, `HTTP address of the scaler, for the explanation ("" for none)`)
	fs.StringVar(&f.caCert, "ca-cert", "", "PEM CA file the scaler's certificate must chain to (KEDA's caCert)")
	fs.StringVar(&f.clientCert, "tls-client-cert", "", "PEM client certificate file for mutual TLS (KEDA's tlsClientCert)")
	fs.StringVar(&f.clientKey, "tls-client-key", "", "PEM client key file for mutual TLS (KEDA's tlsClientKey)")
	fs.BoolVar(&f.tls, "tls", false, "use TLS with the host's roots (KEDA's enableTLS)")
	fs.BoolVar(&f.unsafeSSL, "unsafe-ssl", false, "do not verify the scaler's certificate (KEDA's unsafeSsl)")
	fs.StringVar(&f.serverName, "server-name", "", "name to verify in the scaler's certificate (default: the address's host)")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "how long to wait for the scaler")
	fs.StringVar(&f.output, "output", "text", "output format: text or json")
	return cmd
}

func runAsk(cmd *cobra.Command, f *askFlags, args []string) error {
	if f.output != "text" && f.output != "json" {
		return fmt.Errorf("--output: unknown format %q: use text or json", f.output)
	}
	targets, err := f.targets(args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), f.timeout)
	defer cancel()
	results := make([]askResult, 0, len(targets))
	for _, t := range targets {
		r, err := f.ask(ctx, t)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	w := cmd.OutOrStdout()
	if f.output == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	}
	for i, r := range results {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeAnswer(w, r)
	}
	return nil
}

// targets returns the triggers to ask about: the ScaledObject's external
// triggers, or one trigger of the KEY=VALUE arguments.
func (f *askFlags) targets(args []string) ([]askTarget, error) {
	switch {
	case f.scaledObject != "" && len(args) > 0:
		return nil, errors.New("--scaledobject: give the ScaledObject file or KEY=VALUE metadata, not both")
	case f.scaledObject != "":
		return f.scaledObjectTargets()
	case len(args) == 0:
		return nil, errors.New("--scaledobject: give a ScaledObject file or the trigger's metadata as KEY=VALUE arguments")
	}
	md := make(map[string]string, len(args))
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("metadata %q: want KEY=VALUE", a)
		}
		if _, dup := md[k]; dup {
			return nil, fmt.Errorf("metadata %q: key %s given twice", a, k)
		}
		md[k] = v
	}
	return []askTarget{{Namespace: f.namespace, Name: f.name, Address: f.address(md), Metadata: md}}, nil
}

// scaledObjectTargets decodes the ScaledObject file and returns its
// external triggers.
func (f *askFlags) scaledObjectTargets() ([]askTarget, error) {
	doc, err := scaledobject.Load(f.scaledObject, f.scaledObjectName)
	if err != nil {
		return nil, fmt.Errorf("--scaledobject: %w", err)
	}
	so := doc.Object
	ns := so.Namespace
	if ns == "" {
		ns = "default"
	}
	var out []askTarget
	for i, t := range so.Spec.Triggers {
		if t.Type != "external" {
			continue
		}
		out = append(out, askTarget{Namespace: ns, Name: so.Name, Trigger: i, Address: f.address(t.Metadata), Metadata: t.Metadata})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--scaledobject: %s: ScaledObject %s/%s has no external trigger", f.scaledObject, ns, so.Name)
	}
	return out, nil
}

// address returns the gRPC address to dial for a trigger's metadata.
func (f *askFlags) address(md map[string]string) string {
	switch {
	case f.addr != "":
		return f.addr
	case md["scalerAddress"] != "":
		return md["scalerAddress"]
	}
	return scaler.DefaultGRPCAddress
}

// clientTLS returns the TLS configuration for a trigger's metadata, nil
// for plaintext, as KEDA decides: enableTLS or a CA certificate.
func (f *askFlags) clientTLS(md map[string]string) (*tls.Config, error) {
	c := scaler.ClientTLS{UnsafeSSL: f.unsafeSSL || md["unsafeSsl"] == "true", ServerName: f.serverName}
	for _, file := range []struct {
		flag, path string
		dst        *[]byte
	}{{"--ca-cert", f.caCert, &c.CACert}, {"--tls-client-cert", f.clientCert, &c.ClientCert}, {"--tls-client-key", f.clientKey, &c.ClientKey}} {
		if file.path == "" {
			continue
		}
		data, err := os.ReadFile(file.path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file.flag, err)
		}
		*file.dst = data
	}
	on := f.tls || md["enableTLS"] == "true" || len(c.CACert) > 0 || len(c.ClientCert) > 0 || len(c.ClientKey) > 0
	if !on {
		return nil, nil
	}
	cfg, err := c.Config()
	if err != nil {
		return nil, fmt.Errorf("--ca-cert, --tls-client-cert, --tls-client-key: %w", err)
	}
	return cfg, nil
}

// ask polls the scaler for one trigger and fetches the explanation.
func (f *askFlags) ask(ctx context.Context, t askTarget) (askResult, error) {
	r := askResult{askTarget: t}
	tlsCfg, err := f.clientTLS(t.Metadata)
	if err != nil {
		return r, err
	}
	creds := insecure.NewCredentials()
	if tlsCfg != nil {
		creds = credentials.NewTLS(tlsCfg)
	}
	conn, err := grpc.NewClient(t.Address, grpc.WithTransportCredentials(creds))
	if err != nil {
		return r, fmt.Errorf("--addr %q: %w", t.Address, err)
	}
	defer conn.Close()
	ref := &externalscaler.ScaledObjectRef{Namespace: t.Namespace, Name: t.Name, ScalerMetadata: t.Metadata}
	a, err := scaler.Ask(ctx, conn, ref)
	if err != nil {
		return r, fmt.Errorf("asking the scaler at %s for %s/%s trigger %d: %w%s", t.Address, t.Namespace, t.Name, t.Trigger, err, serveHint(err))
	}
	r.Metric, r.Target, r.Value, r.Replicas, r.Active = a.Metric, a.Target, a.Value, a.Replicas(), a.Active
	r.Explanation, r.Unexplained = f.explain(ctx, t, a.Metric, tlsCfg)
	return r, nil
}

// explain fetches the scaler's explanation of the trigger's last answer,
// or says why there is none.
func (f *askFlags) explain(ctx context.Context, t askTarget, metric string, tlsCfg *tls.Config) (*scaler.Explanation, string) {
	if f.httpAddr == "" {
		return nil, "not asked (--http-addr is empty)"
	}
	u, err := url.Parse(strings.TrimRight(f.httpAddr, "/") + "/debug/decisions")
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Sprintf("--http-addr %q is not an http URL such as http://127.0.0.1:8080", f.httpAddr)
	}
	u.RawQuery = url.Values{"scaledObject": {t.Namespace + "/" + t.Name}}.Encode()
	client := http.DefaultClient
	if u.Scheme == "https" {
		client = &http.Client{Transport: &http.Transport{TLSClientConfig: tlsCfg}}
	}
	resp, err := fetchDecisions(ctx, client, u.String())
	if err != nil {
		return nil, fmt.Sprintf("%v (the explanation needs prescale serve --debug, and --http-addr naming its HTTP address)", err)
	}
	for _, e := range resp.Decisions {
		if e.Metric == metric {
			return &e, ""
		}
	}
	return nil, fmt.Sprintf("the scaler at %s has no decision for metric %s", f.httpAddr, metric)
}

// writeAnswer prints one trigger's answer and its explanation.
func writeAnswer(w io.Writer, r askResult) {
	fmt.Fprintf(w, "%s/%s trigger %d, scaler %s\n", r.Namespace, r.Name, r.Trigger, r.Address)
	fmt.Fprintf(w, "  GetMetricSpec  metric %s, target %s per pod (AverageValue)\n", r.Metric, num(r.Target))
	fmt.Fprintf(w, "  GetMetrics     %s: the HPA asks for ceil(%s / %s) = %d %s\n", num(r.Value), num(r.Value), num(r.Target),
		r.Replicas, plural(r.Replicas, "replica", "replicas"))
	fmt.Fprintf(w, "  IsActive       %t\n", r.Active)
	keys := make([]string, 0, len(r.Metadata))
	for k := range r.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + r.Metadata[k]
	}
	fmt.Fprintf(w, "  metadata       %s\n", strings.Join(pairs, " "))
	if r.Explanation == nil {
		fmt.Fprintf(w, "  explanation    %s\n", r.Unexplained)
		return
	}
	fmt.Fprintln(w)
	writeExplanation(w, *r.Explanation)
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
