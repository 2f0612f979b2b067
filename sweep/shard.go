package sweep

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard selects part K (1-based) of N of the repositories. The zero Shard
// selects all.
type Shard struct{ K, N int }

// ParseShard reads "K/N" (1 <= K <= N).
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni {
		return Shard{}, fmt.Errorf("shard %q: want K/N with 1 <= K <= N", s)
	}
	return Shard{K: ki, N: ni}, nil
}

// String is "K/N", or "" for the whole.
func (s Shard) String() string {
	if s.N == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}

// Has reports whether repo ("owner/name") falls in the shard: the FNV-1a
// 64-bit hash of its lower-cased name, modulo N, is K-1. The hash depends
// only on the name, so shards are stable across runs and machines and
// partition the organisation.
func (s Shard) Has(repo string) bool {
	if s.N <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(repo)))
	return h.Sum64()%uint64(s.N) == uint64(s.K-1)
}
