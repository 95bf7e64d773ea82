package main

import (
	"errors"
	"go/build"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/prescale-dev/prescale"

// modulePackages returns every package directory of the main module (the
// nested modules under e2e/ are theirs) with the module's packages it
// imports, tests included, keyed by import path.
func modulePackages(t *testing.T) map[string][]string {
	t.Helper()
	root := filepath.Join("..", "..")
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return err
		}
		if name := d.Name(); rel != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "e2e" || name == "bin") {
			return filepath.SkipDir
		}
		p, err := build.ImportDir(dir, build.ImportComment)
		if err != nil {
			var none *build.NoGoError
			if errors.As(err, &none) {
				return nil
			}
			return err
		}
		path := module
		if rel != "." {
			path += "/" + filepath.ToSlash(rel)
		}
		var imports []string
		for _, list := range [][]string{p.Imports, p.TestImports, p.XTestImports} {
			for _, imp := range list {
				if (imp == module || strings.HasPrefix(imp, module+"/")) && imp != path && !slices.Contains(imports, imp) {
					imports = append(imports, imp)
				}
			}
		}
		out[path] = imports
		return nil
	})
	require.NoError(t, err)
	return out
}

// under reports whether the import path is the module's dir or below it.
func under(path, dir string) bool {
	p := module + "/" + dir
	return path == p || strings.HasPrefix(path, p+"/")
}

// TestLayout checks the dependency direction of the architecture: pkg/ is
// the ground floor and imports nothing above it; nothing imports cmd/; the
// demo, which composes the products, is imported by cmd/ only.
func TestLayout(t *testing.T) {
	pkgs := modulePackages(t)
	require.Contains(t, pkgs, module+"/pkg/timeseries", "the walk found the module's packages")
	tests := []struct {
		name    string
		applies func(from string) bool
		allowed func(to string) bool
	}{
		{"pkg imports only pkg", func(from string) bool { return under(from, "pkg") },
			func(to string) bool { return under(to, "pkg") }},
		{"nothing imports cmd", func(from string) bool { return !under(from, "cmd") },
			func(to string) bool { return !under(to, "cmd") }},
		{"only cmd imports the demo", func(from string) bool { return !under(from, "cmd") && !under(from, "demo") },
			func(to string) bool { return !under(to, "demo") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for from, imports := range pkgs {
				if !tc.applies(from) {
					continue
				}
				for _, to := range imports {
					assert.True(t, tc.allowed(to), "%s imports %s", from, to)
				}
			}
		})
	}
}
