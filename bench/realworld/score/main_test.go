//go:build bench

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tooo/relpolicy/lint/policy"
)

func TestReadLabels(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("a.tsv", "# repo\tcommit\tpath\tline\trule\tverdict\tkind\no/r\tc1\tREADME.md\t4\tRP402\ttp\tbadge\n")
	ls, err := readLabels(filepath.Join(dir, "*.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := ls[key("o/r", "README.md", 4, "RP402")]; !ok || l.verdict != "tp" || l.kind != "badge" {
		t.Errorf("labels %v", ls)
	}
	for _, bad := range []string{
		"o/r\tc1\tREADME.md\t4\tRP402\tmaybe\tbadge\n",
		"o/r\tc1\tREADME.md\tfour\tRP402\ttp\tbadge\n",
		"o/r\tc1\tREADME.md\t4\tRP402\n",
	} {
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, "b.tsv"), []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readLabels(filepath.Join(d, "*.tsv")); err == nil || !strings.Contains(err.Error(), "b.tsv:1") {
			t.Errorf("%q: error %v, want one naming b.tsv:1", bad, err)
		}
	}
	write("c.tsv", "o/r\tc1\tREADME.md\t4\tRP402\tfp\tbadge\n")
	if _, err := readLabels(filepath.Join(dir, "*.tsv")); err == nil || !strings.Contains(err.Error(), "contradicts") {
		t.Errorf("contradicting labels: error %v", err)
	}
}

func TestPolicyForNamesTheRepository(t *testing.T) {
	p := policyFor("argoproj/argo-cd")
	for _, want := range []string{"name: argoproj/argo-cd", "name: argo-cd release archives", "used: false"} {
		if !strings.Contains(p, want) {
			t.Errorf("policy lacks %q:\n%s", want, p)
		}
	}
	doc, fs := policy.Load(fstest.MapFS{policyFile: {Data: []byte(p)}}, policyFile)
	if doc == nil || doc.Policy == nil || len(fs) != 0 {
		t.Errorf("the scorer's policy does not load cleanly: %v", fs)
	}
}
