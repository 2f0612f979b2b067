package journal

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestJournal(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sub", "j.jsonl")
	j, err := Open(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if err := j.Put("k", []byte(fmt.Sprintf(`{"n":%d}`, i))); err != nil {
			t.Fatal(err)
		}
	}
	j.Put("other", []byte(`"x"`))
	j.Close()
	// A torn last line (an interrupted write) is ignored.
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"k":"torn","v":{"n"`)
	f.Close()
	j, err = Open(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := j.Get("k"); !ok || string(v) != `{"n":9}` {
		t.Errorf("k = %s %v", v, ok)
	}
	if _, ok := j.Get("torn"); ok {
		t.Error("torn line read")
	}
	if v, ok := j.Get("other"); !ok || string(v) != `"x"` {
		t.Errorf("other = %s", v)
	}
	// The line after a torn one is read.
	j.Put("after", []byte(`1`))
	j.Close()
	j, _ = Open(p, 0o600)
	if _, ok := j.Get("after"); !ok {
		t.Error("the line after a torn one is lost")
	}
	// Many superseded lines: compacted on open.
	for i := range 100 {
		j.Put("k", []byte(fmt.Sprint(i)))
	}
	j.Close()
	j, _ = Open(p, 0o600)
	defer j.Close()
	b, _ := os.ReadFile(p)
	if n := len(b); n > 200 {
		t.Errorf("not compacted: %d bytes", n)
	}
	if v, _ := j.Get("k"); string(v) != "99" {
		t.Errorf("after compaction k = %s", v)
	}
}
