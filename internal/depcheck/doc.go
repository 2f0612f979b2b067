// Package depcheck holds relpolicy's layering table and the test that
// enforces it (after go-containerregistry's internal/depcheck): every
// package of the module has an entry naming what it may import, and the
// network clients live only in internal/{httpx,github,registry,sigstore}.
// It has no code; see depcheck_test.go.
package depcheck
