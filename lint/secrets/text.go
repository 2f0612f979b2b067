package secrets

import "sort"

// text is one fragment prepared for the engine: its content, an ASCII
// lower-cased copy of the same length (so offsets agree), the keywords that
// occur in it and, built on first use, the offsets of its newlines.
type text struct {
	path  string
	s     string
	lower []byte
	nl    []int
	nlOK  bool
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
	return &text{path: path, s: s, lower: lowerASCII(nil, s)}
}

// lowerASCII fills dst with src lower-cased byte by byte; other bytes are
// copied, so offsets in dst are offsets in src.
func lowerASCII(dst []byte, src string) []byte {
	dst = append(dst[:0], src...)
	for i, c := range dst {
		if 'A' <= c && c <= 'Z' {
			dst[i] = c + 'a' - 'A'
		}
	}
	return dst
}

// newlines returns the offsets of every '\n' in t.
func (t *text) newlines() []int {
	if !t.nlOK {
		t.nl = t.nl[:0]
		for i := 0; i < len(t.s); i++ {
			if t.s[i] == '\n' {
				t.nl = append(t.nl, i)
			}
		}
		t.nlOK = true
	}
	return t.nl
}

// lineIndex returns the 0-based line holding offset off.
func (t *text) lineIndex(off int) int {
	return sort.SearchInts(t.newlines(), off)
}

// lineStart returns the offset where the line holding off begins.
func (t *text) lineStart(off int) int {
	i := t.lineIndex(off)
	if i == 0 {
		return 0
	}
	return t.nl[i-1] + 1
}

// lineEnd returns the offset of the newline ending the line holding off, or
// len(t.s) on the last line.
func (t *text) lineEnd(off int) int {
	nl := t.newlines()
	i := sort.SearchInts(nl, off)
	if i == len(nl) {
		return len(t.s)
	}
	return nl[i]
}

// linesUp returns the start of the line n lines above the one holding off.
func (t *text) linesUp(off, n int) int {
	i := t.lineIndex(off) - n
	if i <= 0 {
		return 0
	}
	return t.nl[i-1] + 1
}

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
	t.path, t.s, t.lower, t.nlOK = path, s, lower, false
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
