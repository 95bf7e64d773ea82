package scaler

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// testPKI is a certificate authority with a server certificate for
// 127.0.0.1 and localhost and a client certificate, as PEM.
type testPKI struct {
	CA, ServerCert, ServerKey, ClientCert, ClientKey []byte
	// Dir holds ca.crt, tls.crt and tls.key (the server's).
	Dir string
}

// newTestPKI generates a testPKI, signed by a fresh CA.
func newTestPKI(t testing.TB) testPKI {
	t.Helper()
	caKey := genKey(t)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "prescale test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leaf := func(serial int64, cn string, usage x509.ExtKeyUsage, server bool) ([]byte, []byte) {
		key := genKey(t)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
		}
		if server {
			tmpl.DNSNames, tmpl.IPAddresses = []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kb, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		return pemBlock("CERTIFICATE", der), pemBlock("EC PRIVATE KEY", kb)
	}
	p := testPKI{CA: pemBlock("CERTIFICATE", caDER), Dir: t.TempDir()}
	p.ServerCert, p.ServerKey = leaf(2, "prescale", x509.ExtKeyUsageServerAuth, true)
	p.ClientCert, p.ClientKey = leaf(3, "keda-operator", x509.ExtKeyUsageClientAuth, false)
	for name, data := range map[string][]byte{"ca.crt": p.CA, "tls.crt": p.ServerCert, "tls.key": p.ServerKey} {
		if err := os.WriteFile(filepath.Join(p.Dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// Files returns the server's TLSFiles, with the client CA for mutual TLS.
func (p testPKI) Files(mutual bool) TLSFiles {
	f := TLSFiles{CertFile: filepath.Join(p.Dir, "tls.crt"), KeyFile: filepath.Join(p.Dir, "tls.key")}
	if mutual {
		f.ClientCAFile = filepath.Join(p.Dir, "ca.crt")
	}
	return f
}

func genKey(t testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}
