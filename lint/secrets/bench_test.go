package secrets

import "testing"

// BenchmarkBuild prepares the default engine from the generated table, as
// every process does once (docs/performance.md, cold start).
func BenchmarkBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(&gitleaksTable); err != nil {
			b.Fatal(err)
		}
	}
}
