package secrets

import (
	"encoding/base64"
	"unicode/utf8"
)

// Two cheap tests decide how a fragment is scanned. A rune that lower-cases
// or case-folds into ASCII would change what the keyword gate and the
// case-insensitive anchors see: such fragments go to gitleaks itself. And
// gitleaks' decoding passes (decodedPasses) run only when its decoder could
// decode something. Both tests err towards doing what gitleaks does.

// foldRunes are the non-ASCII runes whose lower case or case fold is ASCII
// (TestFoldRunes derives the set from the Unicode tables).
var foldRunes = map[rune]bool{
	0x130:  true, // İ lower-cases to i
	0x17F:  true, // ſ folds with s
	0x212A: true, // K (Kelvin) folds with k
}

// hasFoldRunes reports whether s holds one of foldRunes.
func hasFoldRunes(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if foldRunes[r] {
			return true
		}
		i += n
	}
	return false
}

// mayDecode reports whether gitleaks' decoder (detect/codec) could find an
// encoded segment in s that decodes to something, so that gitleaks would
// scan a decoded pass. It mirrors the decoder's patterns:
//
//	percent  %[0-9A-Fa-f]{2}(?:.*%[0-9A-Fa-f]{2})?
//	unicode  (?:U\+[a-fA-F0-9]{4}(?:\s|$))+ | (?i)(?:\\{1,2}u[a-fA-F0-9]{4})+
//	hex      [0-9A-Fa-f]{32,}
//	base64   [\w\/+-]{16,}={0,2}
//
// Any possible percent or unicode escape counts. Without them the decoder's
// leftmost-first matches are exactly: in each maximal run of base64
// characters at least 16 long, a leading hex match when the run starts with
// 32 or more hex digits, then a base64 match of the rest when at least 16
// characters remain; otherwise one base64 match of the whole run (with up
// to two '='). The run counts when any of these decodes as the decoder
// decodes it. The decoder's overlap filter only drops matches, so ignoring
// it errs towards gitleaks.
func mayDecode(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		switch s[i] {
		case '%':
			if isHex(s[i+1]) && isHex(s[i+2]) {
				return true
			}
		case '+':
			if i > 0 && s[i-1] == 'U' && hex4(s[i+1:]) {
				return true
			}
		case '\\':
			if s[i+1]|0x20 == 'u' && hex4(s[i+2:]) {
				return true
			}
		}
	}
	for i := 0; i < len(s); {
		if !isBase64Byte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isBase64Byte(s[j]) {
			j++
		}
		if j-i >= 16 && runDecodes(s, i, j) {
			return true
		}
		i = j
	}
	return false
}

func runDecodes(s string, i, j int) bool {
	h := i
	for h < j && isHex(s[h]) {
		h++
	}
	if h-i >= 32 {
		if decodeHex(s[i:h]) != "" {
			return true
		}
		i = h
		if j-i < 16 {
			return false
		}
	}
	e := j
	for e < len(s) && e-j < 2 && s[e] == '=' {
		e++
	}
	return decodeBase64(s[i:e]) != ""
}

func hex4(s string) bool {
	return len(s) >= 4 && isHex(s[0]) && isHex(s[1]) && isHex(s[2]) && isHex(s[3])
}

func isBase64Byte(c byte) bool {
	return isWordByte(c) || c == '/' || c == '+' || c == '-'
}

// decodeBase64 is detect/codec's decodeBase64.
func decodeBase64(s string) string {
	likely := false
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) || s[i] == '+' || s[i] == '/' || s[i] == '-' || s[i] == '_' {
			likely = true
			break
		}
	}
	if !likely {
		return ""
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && printableASCII(b) {
		return string(b)
	}
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil && printableASCII(b) {
		return string(b)
	}
	return ""
}

// decodeHex is detect/codec's decodeHex.
func decodeHex(s string) string {
	if len(s)%2 != 0 {
		return ""
	}
	digit := false
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			digit = true
			break
		}
	}
	if !digit {
		return ""
	}
	out := make([]byte, len(s)/2)
	for i := 0; i < len(s); i += 2 {
		b := hexVal(s[i])<<4 | hexVal(s[i+1])
		if b <= 0x08 || b >= 0x7f {
			return ""
		}
		out[i/2] = b
	}
	return string(out)
}

func hexVal(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func printableASCII(b []byte) bool {
	for _, c := range b {
		if c <= 0x08 || c >= 0x7f {
			return false
		}
	}
	return true
}
