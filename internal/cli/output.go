package cli

import (
	"bytes"
	"io"
	"os"
	"regexp"

	"github.com/spf13/cobra"
)

// Output options every command shares: --quiet and --color (root flags).

func registerOutputFlags(root *cobra.Command) {
	f := root.PersistentFlags()
	f.BoolP("quiet", "q", false, "print only findings, answers and errors: no summary lines or notes")
	f.String("color", "auto", "colour severities in text output: auto (on a terminal, unless $NO_COLOR is set), always, never")
}

// quiet reports whether --quiet was given.
func quiet(cmd *cobra.Command) bool {
	q, _ := cmd.Flags().GetBool("quiet")
	return q
}

// colorOn decides colour for output to w: --color always or never wins;
// auto colours only a terminal, and never when NO_COLOR is set to anything
// (https://no-color.org) or TERM is dumb.
func colorOn(cmd *cobra.Command, w io.Writer) (bool, error) {
	mode, _ := cmd.Flags().GetString("color")
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
	default:
		return false, usage("--color %q: want auto, always or never", mode)
	}
	if _, set := os.LookupEnv("NO_COLOR"); set || os.Getenv("TERM") == "dumb" {
		return false, nil
	}
	f, ok := w.(*os.File)
	if !ok {
		return false, nil
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0, nil
}

var (
	severityRe = regexp.MustCompile(`^(\S+:\d+:\d+: )(error|warning)( RP\d+:)`)
	summaryRe  = regexp.MustCompile(`^\d+ errors?, \d+ warnings? in \d+ repositor(y|ies)$`)
)

const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

// textStyler rewrites text-format lint output line by line: it colours the
// severity and rule of each finding, and drops the summary line when quiet.
type textStyler struct {
	w            io.Writer
	color, quiet bool
	buf          []byte
	err          error
}

// styled wraps w for --format text; other formats pass through untouched.
// Call the returned flush when done.
func styled(cmd *cobra.Command, w io.Writer, format string) (io.Writer, func() error, error) {
	if format != "text" {
		return w, func() error { return nil }, nil
	}
	c, err := colorOn(cmd, w)
	if err != nil {
		return nil, nil, err
	}
	q := quiet(cmd)
	if !c && !q {
		return w, func() error { return nil }, nil
	}
	s := &textStyler{w: w, color: c, quiet: q}
	return s, s.flush, nil
}

func (s *textStyler) Write(p []byte) (int, error) {
	s.buf = append(s.buf, p...)
	for {
		i := bytes.IndexByte(s.buf, '\n')
		if i < 0 {
			break
		}
		s.line(s.buf[:i])
		s.buf = s.buf[i+1:]
	}
	return len(p), s.err
}

func (s *textStyler) line(l []byte) {
	if s.err != nil {
		return
	}
	if s.quiet && summaryRe.Match(l) {
		return
	}
	if s.color {
		if m := severityRe.FindSubmatchIndex(l); m != nil {
			col := red
			if string(l[m[4]:m[5]]) == "warning" {
				col = yellow
			}
			var b bytes.Buffer
			b.Write(l[:m[4]])
			b.WriteString(bold + col)
			b.Write(l[m[4]:m[7]])
			b.WriteString(reset)
			b.Write(l[m[7]:])
			l = b.Bytes()
		}
	}
	_, s.err = s.w.Write(append(l, '\n'))
}

func (s *textStyler) flush() error {
	if len(s.buf) > 0 && s.err == nil {
		_, s.err = s.w.Write(s.buf)
		s.buf = nil
	}
	return s.err
}
