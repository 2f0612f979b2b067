// Package textpos finds lines in a text by byte offset, for the detectors
// that report positions (the credential engine and the disclosure rules).
// Offsets are byte offsets into the text; lines are 0-based here and made
// 1-based only where findings are built.
package textpos

import "sort"

// Lines indexes the newlines of one text, built on first use and kept for
// the next text after Reset, so a scan over many files reuses one buffer.
// The zero value is ready; the text itself is passed to every call.
type Lines struct {
	nl []int
	ok bool
}

// Reset forgets the index: the next call indexes its text anew.
func (l *Lines) Reset() { l.ok = false }

// Newlines returns the offsets of every '\n' in s.
func (l *Lines) Newlines(s string) []int {
	if !l.ok {
		l.nl = l.nl[:0]
		for i := 0; i < len(s); i++ {
			if s[i] == '\n' {
				l.nl = append(l.nl, i)
			}
		}
		l.ok = true
	}
	return l.nl
}

// Index returns the 0-based line of s holding offset off.
func (l *Lines) Index(s string, off int) int {
	return sort.SearchInts(l.Newlines(s), off)
}

// Start returns the offset where the line holding off begins.
func (l *Lines) Start(s string, off int) int {
	return l.startOf(s, l.Index(s, off))
}

// End returns the offset of the newline ending the line holding off, or
// len(s) on the last line.
func (l *Lines) End(s string, off int) int {
	nl := l.Newlines(s)
	i := sort.SearchInts(nl, off)
	if i == len(nl) {
		return len(s)
	}
	return nl[i]
}

// Up returns the start of the line n lines above the one holding off (the
// first line's start when there are fewer).
func (l *Lines) Up(s string, off, n int) int {
	return l.startOf(s, l.Index(s, off)-n)
}

// startOf returns the offset where 0-based line i begins.
func (l *Lines) startOf(s string, i int) int {
	if i <= 0 {
		return 0
	}
	return l.Newlines(s)[i-1] + 1
}

// LowerASCII fills dst with src lower-cased byte by byte; other bytes are
// copied, so offsets in dst are offsets in src.
func LowerASCII(dst []byte, src string) []byte {
	dst = append(dst[:0], src...)
	for i, c := range dst {
		if 'A' <= c && c <= 'Z' {
			dst[i] = c + 'a' - 'A'
		}
	}
	return dst
}
