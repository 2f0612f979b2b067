package textpos

import "testing"

func TestLines(t *testing.T) {
	s := "ab\ncd\n\nef"
	var l Lines
	for _, c := range []struct{ off, index, start, end, up1 int }{
		{0, 0, 0, 2, 0},
		{2, 0, 0, 2, 0}, // the newline belongs to its line
		{3, 1, 3, 5, 0},
		{6, 2, 6, 6, 3},
		{9, 3, 7, 9, 6}, // off == len(s): the last line
	} {
		if got := l.Index(s, c.off); got != c.index {
			t.Errorf("Index(%d) = %d, want %d", c.off, got, c.index)
		}
		if got := l.Start(s, c.off); got != c.start {
			t.Errorf("Start(%d) = %d, want %d", c.off, got, c.start)
		}
		if got := l.End(s, c.off); got != c.end {
			t.Errorf("End(%d) = %d, want %d", c.off, got, c.end)
		}
		if got := l.Up(s, c.off, 1); got != c.up1 {
			t.Errorf("Up(%d, 1) = %d, want %d", c.off, got, c.up1)
		}
	}
	l.Reset()
	if got := l.Index("x\ny", 2); got != 1 {
		t.Errorf("after Reset, Index = %d, want 1 (the new text's index)", got)
	}
	if got := string(LowerASCII(nil, "AbÇ-Z")); got != "abÇ-z" {
		t.Errorf("LowerASCII = %q", got)
	}
}
