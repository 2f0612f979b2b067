package secrets

import "github.com/tooo/relpolicy/lint/textpos"

// text is one fragment prepared for the engine: its content, an ASCII
// lower-cased copy of the same length (so offsets agree), the keywords that
// occur in it and, built on first use, the offsets of its newlines.
type text struct {
	path  string
	s     string
	lower []byte
	lines textpos.Lines
	// keywords[i] is set when keyword i occurs; kwHits are the
	// occurrences (word: keyword index).
	keywords []bool
	kwHits   []hit
	ends     ends
	// Buffers for windows.
	winBuf    [][2]int
	anchorBuf []int
}

// hit is one occurrence of a keyword: its offset and its index.
type hit struct {
	off, word int
}

// newText prepares a text outside a caller's File.
func newText(path string, s string) *text {
	return &text{path: path, s: s, lower: textpos.LowerASCII(nil, s)}
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

// isWordByte reports whether c is an ASCII word character (\w).
func isWordByte(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '_'
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isHex reports whether c is an ASCII hex digit.
func isHex(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }

// File is one file prepared for Engine.Scan by a caller that runs its own
// keyword automaton over the file (a single pass for several detectors):
// Reset it for each file, report each occurrence of an engine keyword with
// Keyword, then Scan. A File may be reused; it is not safe for concurrent
// use.
type File struct {
	t text
}

// Reset prepares f for a file at the repository-relative slash path, with
// content s and lower, s lower-cased byte by byte (ASCII only, same
// length). f keeps views of s and lower until Release or the next Reset;
// the engine has nKeywords keywords (len(Engine.Keywords())).
func (f *File) Reset(path, s string, lower []byte, nKeywords int) {
	t := &f.t
	t.path, t.s, t.lower = path, s, lower
	t.lines.Reset()
	t.keywords = resetBools(t.keywords, nKeywords)
	t.kwHits = t.kwHits[:0]
}

// Keyword records that engine keyword k occurs at byte offset off. Calls
// come in increasing order of the keyword's end, as an Aho-Corasick walk
// reports them.
func (f *File) Keyword(off, k int) {
	f.t.keywords[k] = true
	f.t.kwHits = append(f.t.kwHits, hit{off, k})
}

// Release drops f's views of the caller's content, keeping its buffers.
func (f *File) Release() {
	f.t.s, f.t.lower = "", nil
	f.t.ends.s, f.t.ends.lower = "", ""
}
