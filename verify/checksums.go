package verify

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// MaxChecksumFile bounds a checksum file's size (bytes).
const MaxChecksumFile = 4 << 20

// ParseChecksums reads a checksum file in the format sha256sum and
// sha512sum write and check (GNU coreutils): one "<hex> <marker><name>"
// per line, where the marker is ' ' (text) or '*' (binary), and a line
// starting with '\' has its name escaped ("\\" for a backslash, "\n" for a
// newline). hexLen is 64 for SHA-256 and 128 for SHA-512. Blank lines and
// lines starting with '#' are skipped. It returns name → lowercase hex; an
// error names the first bad line (1-based).
func ParseChecksums(r io.Reader, hexLen int) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(io.LimitReader(r, MaxChecksumFile+1))
	sc.Buffer(make([]byte, 64<<10), MaxChecksumFile+1)
	n, size := 0, 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		size += len(line) + 1
		if size > MaxChecksumFile {
			return nil, fmt.Errorf("checksum file is larger than %d MiB", MaxChecksumFile>>20)
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		escaped := strings.HasPrefix(line, `\`)
		if escaped {
			line = line[1:]
		}
		if len(line) < hexLen+2 || !isHex(line[:hexLen]) || line[hexLen] != ' ' {
			return nil, fmt.Errorf("line %d: want %d hex digits, a space and a file name", n, hexLen)
		}
		sum := strings.ToLower(line[:hexLen])
		name := line[hexLen+1:]
		if name[0] == ' ' || name[0] == '*' {
			name = name[1:]
		}
		if escaped {
			var err error
			if name, err = unescape(name); err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
		}
		if name == "" {
			return nil, fmt.Errorf("line %d: no file name", n)
		}
		out[name] = sum
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading checksum file: %w", err)
	}
	return out, nil
}

func unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 == len(s) {
			return "", fmt.Errorf("file name ends in a lone backslash")
		}
		i++
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", fmt.Errorf(`unknown escape \%c in file name`, s[i])
		}
	}
	return b.String(), nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
