package secrets

import (
	"testing"
)

// FuzzGitleaksParity: on any input the engine reports what gitleaks'
// own detector (detect.Detector, configured as its CLI) reports.
func FuzzGitleaksParity(f *testing.F) {
	for _, s := range []string{
		"export GITHUB_TOKEN=ghp_R2d2C3poLuk3Skyw4lk3rHanS0l0Chewi3",
		"aws_access_key_id = AKIAQ3EGTXZ7KPL5MN2R",
		"SLACK_BOT_TOKEN: xoxb-1234567890123-1234567890123-aBcDeFgHiJkLmNoPqRsTuVwX",
		"GITLAB_TOKEN=glpat-Zk3mQ9vX2pL7wR4tY8nB",
		"client_secret: 'q8Z3xV7mK2pL9wR4tY6nB1cH5jF0gD3s'",
		"password =\n\n  \"aB3dE5fG7hI9jK1lM3nO\"\n",
		"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----",
		"config: cGFzc3dvcmQ9IlhrOSNtUTIkdkw3cFI0d1oi\n",
		"https://example.com/?token=ghp_%41bcdefghijklmnopqrstuvwxyz0123456789\n",
		"\xff\x00\u212Aey = \"a9f8e7d6c5b4a3928170\"",
		"api_key = 'Zx81Qm2Lp0Vn7Tr3Ws5Y' # gitleaks:allow\n",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		assertParity(t, "fuzz", "docs/fuzz.md", text)
	})
}
