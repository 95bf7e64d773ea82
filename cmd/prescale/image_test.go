package main

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// instruction is one Dockerfile instruction with its continuation lines
// joined.
type instruction struct {
	op   string // upper-case: FROM, RUN, COPY, USER...
	args string
}

// stage is one FROM .. of a multi-stage Dockerfile.
type stage struct {
	from string
	body []instruction
}

// parseDockerfile splits a Dockerfile into its stages; instructions before
// the first FROM (ARG) are dropped.
func parseDockerfile(t *testing.T, data []byte) []stage {
	t.Helper()
	var stages []stage
	var line strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if cont, ok := strings.CutSuffix(s, `\`); ok {
			line.WriteString(cont + " ")
			continue
		}
		line.WriteString(s)
		op, args, _ := strings.Cut(line.String(), " ")
		line.Reset()
		in := instruction{op: strings.ToUpper(op), args: strings.TrimSpace(args)}
		if in.op == "FROM" {
			stages = append(stages, stage{from: in.args})
			continue
		}
		if len(stages) > 0 {
			stages[len(stages)-1].body = append(stages[len(stages)-1].body, in)
		}
	}
	require.NoError(t, sc.Err())
	return stages
}

// all returns the arguments of every instruction op of the stage.
func (s stage) all(op string) []string {
	var out []string
	for _, in := range s.body {
		if in.op == op {
			out = append(out, in.args)
		}
	}
	return out
}

// last returns the arguments of the stage's last instruction op.
func (s stage) last(op string) string {
	all := s.all(op)
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1]
}

// imageSpec is what the Dockerfile's final stage says the image holds.
type imageSpec struct {
	uid, gid int
	args     []string // ENTRYPOINT then CMD
	files    []string // absolute paths copied into the image, sorted
}

// dockerfileSpec reads the repository's Dockerfile and returns its final
// stage's image and its build stage.
func dockerfileSpec(t *testing.T) (imageSpec, stage) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	require.NoError(t, err)
	stages := parseDockerfile(t, data)
	require.GreaterOrEqual(t, len(stages), 2, "the Dockerfile is multi-stage")
	final := stages[len(stages)-1]
	var spec imageSpec
	uid, gid, ok := strings.Cut(final.last("USER"), ":")
	require.True(t, ok, "USER %q names uid:gid", final.last("USER"))
	spec.uid, err = strconv.Atoi(uid)
	require.NoError(t, err, "USER uid %q", uid)
	spec.gid, err = strconv.Atoi(gid)
	require.NoError(t, err, "USER gid %q", gid)
	var entry, cmd []string
	require.NoError(t, json.Unmarshal([]byte(final.last("ENTRYPOINT")), &entry), "ENTRYPOINT in exec form")
	require.NoError(t, json.Unmarshal([]byte(final.last("CMD")), &cmd), "CMD in exec form")
	spec.args = append(entry, cmd...)
	for _, c := range final.all("COPY") {
		fields := strings.Fields(c)
		spec.files = append(spec.files, fields[len(fields)-1])
	}
	slices.Sort(spec.files)
	return spec, stages[0]
}

// TestDockerfile checks the properties the Helm chart and the README rely
// on: a multi-stage build whose final image is an empty base holding the
// static binary and the CA certificates, run as a non-root user, built
// with `make static` as `make image` builds it.
func TestDockerfile(t *testing.T) {
	spec, build := dockerfileSpec(t)
	data, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	require.NoError(t, err)
	stages := parseDockerfile(t, data)
	tests := []struct {
		name string
		ok   bool
		got  any
	}{
		{"final stage on an empty base", stages[len(stages)-1].from == "scratch", stages[len(stages)-1].from},
		{"build stage on the Go image", strings.HasPrefix(build.from, "golang:"), build.from},
		{"binary built with make static", slices.ContainsFunc(build.all("RUN"), func(r string) bool {
			return strings.HasPrefix(r, "make static ")
		}), build.all("RUN")},
		{"non-root user and group", spec.uid != 0 && spec.gid != 0, [2]int{spec.uid, spec.gid}},
		{"the chart's user 65532", spec.uid == 65532 && spec.gid == 65532, [2]int{spec.uid, spec.gid}},
		{"runs prescale serve", slices.Equal(spec.args, []string{"/prescale", "serve"}), spec.args},
		{"holds the binary and the CA certificates only",
			slices.Equal(spec.files, []string{"/etc/ssl/certs/ca-certificates.crt", "/prescale"}), spec.files},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.True(t, tc.ok, "Dockerfile: got %v", tc.got)
		})
	}
}

// runtimeConfig is the part of an unpacked image's OCI runtime
// configuration (config.json) that the image's config sets.
type runtimeConfig struct {
	Process struct {
		User struct {
			UID int `json:"uid"`
			GID int `json:"gid"`
		} `json:"user"`
		Args []string `json:"args"`
	} `json:"process"`
}

// imageBundle returns the unpacked image that `make image-check` built,
// or skips when there is none.
func imageBundle(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PRESCALE_IMAGE_BUNDLE")
	if dir == "" {
		t.Skip("PRESCALE_IMAGE_BUNDLE unset: run make image-check")
	}
	return dir
}

// TestImageMatchesDockerfile checks that the image `make image` assembled
// holds what the Dockerfile's final stage says: the same user, command
// and files, the binary static.
func TestImageMatchesDockerfile(t *testing.T) {
	dir := imageBundle(t)
	spec, _ := dockerfileSpec(t)
	data, err := os.ReadFile(filepath.Join(dir, "config.json"))
	require.NoError(t, err)
	var rc runtimeConfig
	require.NoError(t, json.Unmarshal(data, &rc))
	assert.Equal(t, spec.uid, rc.Process.User.UID, "uid")
	assert.Equal(t, spec.gid, rc.Process.User.GID, "gid")
	assert.Equal(t, spec.args, rc.Process.Args, "entrypoint and cmd")

	rootfs := filepath.Join(dir, "rootfs")
	var files []string
	require.NoError(t, filepath.WalkDir(rootfs, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, "/"+filepath.ToSlash(strings.TrimPrefix(p, rootfs+string(filepath.Separator))))
		}
		return err
	}))
	slices.Sort(files)
	assert.Equal(t, spec.files, files, "files in the image")

	bin, err := elf.Open(filepath.Join(rootfs, "prescale"))
	require.NoError(t, err)
	defer bin.Close()
	for _, p := range bin.Progs {
		assert.NotEqual(t, elf.PT_INTERP, p.Type, "the binary needs a dynamic loader")
	}
	libs, err := bin.ImportedLibraries()
	require.NoError(t, err)
	assert.Empty(t, libs, "shared libraries the binary needs")
}

// TestImageRunsVersion runs `prescale version` inside the image: chrooted
// into its root file system as its user when the test runs as root, else
// the image's binary as the current user.
func TestImageRunsVersion(t *testing.T) {
	dir := imageBundle(t)
	spec, _ := dockerfileSpec(t)
	rootfs := filepath.Join(dir, "rootfs")
	cmd := &exec.Cmd{Path: filepath.Join(rootfs, spec.args[0]), Args: []string{spec.args[0], "version"}}
	if os.Geteuid() == 0 {
		cmd.Path = spec.args[0]
		cmd.SysProcAttr = &syscall.SysProcAttr{
			Chroot:     rootfs,
			Credential: &syscall.Credential{Uid: uint32(spec.uid), Gid: uint32(spec.gid)},
		}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "prescale version in the image: %s", stderr.String())
	want := "prescale "
	if v := os.Getenv("PRESCALE_IMAGE_VERSION"); v != "" {
		want += v + " "
	}
	assert.True(t, strings.HasPrefix(stdout.String(), want), "prescale version printed %q, want a line starting %q", stdout.String(), want)
}
