//go:build race

package secrets

// raceEnabled: the race detector slows gitleaks' reference scans tenfold,
// so the parity tests take fewer samples under it.
const raceEnabled = true
