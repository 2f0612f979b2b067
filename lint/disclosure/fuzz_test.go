package disclosure

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tooo/relpolicy/lint/surface"
)

// fuzzSeeds are the detector tests' positives and negatives and the
// corpus snippets.
func fuzzSeeds(f *testing.F) {
	for _, s := range rp501Secrets {
		f.Add(s.line)
	}
	for _, s := range []string{
		"10.0.0.1 fd00::1 build01.corp ops@corp.tooo.net",
		"jobs:\n  b:\n    runs-on:\n      - rack7-gpu\n",
		"./config.sh --url https://github.com/tooo --token AHRFQ6ZKXUO2T4JMY7L3PNCWQ5E2A",
		"vault kv get secret/data/x; VLAN 42; arn:aws:kms:eu-west-1:123456789012:key/abc",
		"password =\n\n  \"aB3dE5fG7hI9jK1lM3nO\"\n",
		"\xff\x00\u212Aey = \"a9f8e7d6c5b4a3928170\"",
	} {
		f.Add(s)
	}
	for _, c := range loadCorpusFiles(f) {
		f.Add(c.Text)
	}
}

// FuzzScanFile: no input panics the scanner, and every finding lies inside
// the file.
func FuzzScanFile(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		for _, kind := range []surface.Kind{surface.Policy, surface.Markdown, surface.Text, surface.Workflow} {
			path := "docs/fuzz.md"
			if kind == surface.Workflow {
				path = ".github/workflows/fuzz.yml"
			}
			fs := testScanner().ScanFile(path, kind, []byte(text))
			checkFindings(t, text, path, fs)
		}
	})
}

// loadCorpusFiles reads testdata/disclosure for seeds; missing is fine.
func loadCorpusFiles(tb testing.TB) []corpusCase {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.jsonl"))
	var out []corpusCase
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		cs, err := parseCorpus(b)
		if err != nil {
			tb.Fatalf("%s: %v", p, err)
		}
		out = append(out, cs...)
	}
	return out
}
