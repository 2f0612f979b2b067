package disclosure

import (
	"unicode/utf8"
	"unsafe"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/secrets"
	"github.com/tooo/relpolicy/lint/surface"
	"github.com/tooo/relpolicy/lint/textpos"
)

// text is one file prepared for the detectors: its content, an ASCII
// lower-cased copy of the same length (so offsets agree) and, built on first
// use, the offsets of its newlines.
type text struct {
	path string
	kind surface.Kind
	// place says what the file's location tells about its values (see
	// placeOf).
	place place
	s     string
	lower []byte
	lines textpos.Lines
	// outline is the markdown structure exampleSection reads, built on
	// first use.
	outline   []mark
	outlineOK bool
	// cred is the credential engine's view of the file.
	cred secrets.File
}

// reset prepares t for another file, keeping its buffers. t.s views
// content without copying it: no finding keeps a piece of t.s (messages are
// formatted copies), and release drops the view.
func (t *text) reset(path string, kind surface.Kind, content []byte) {
	t.path, t.kind, t.s = path, kind, unsafe.String(unsafe.SliceData(content), len(content))
	t.lower = textpos.LowerASCII(t.lower, t.s)
	t.lines.Reset()
	t.outlineOK = false
	t.place = placeOf(path, kind, t.s)
}

// release drops t's view of the caller's content.
func (t *text) release() {
	t.s = ""
	t.cred.Release()
}

// counted in characters (an invalid UTF-8 byte counts as one).
func (t *text) position(off int) (line, col int) {
	off = min(max(off, 0), len(t.s))
	start := t.lineStart(off)
	return t.lineIndex(off) + 1, utf8.RuneCountInString(t.s[start:off]) + 1
}

// finding builds a finding at offset off.
func (t *text) finding(rule string, sev finding.Severity, off int, msg, hint string) finding.Finding {
	line, col := t.position(off)
	return finding.Finding{
		Rule: rule, Severity: sev, Path: t.path, Line: line, Column: col,
		Message: msg, Hint: hint,
	}
}

// weighed builds a finding at offset off with confidence c.
func (t *text) weighed(rule string, sev finding.Severity, off int, c finding.Confidence, msg, hint string) finding.Finding {
	f := t.finding(rule, sev, off, msg, hint)
	f.Confidence = c
	return f
}

// lineIndex returns the 0-based line holding offset off.
func (t *text) lineIndex(off int) int { return t.lines.Index(t.s, off) }

// lineStart returns the offset where the line holding off begins.
func (t *text) lineStart(off int) int { return t.lines.Start(t.s, off) }

// lineEnd returns the offset of the newline ending the line holding off, or
// len(t.s) on the last line.
func (t *text) lineEnd(off int) int { return t.lines.End(t.s, off) }

// linesUp returns the start of the line n lines above the one holding off.
func (t *text) linesUp(off, n int) int { return t.lines.Up(t.s, off, n) }

// isWordByte reports whether c can be part of an identifier or host label.
func isWordByte(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '_'
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isHex reports whether c is an ASCII hex digit.
func isHex(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }
