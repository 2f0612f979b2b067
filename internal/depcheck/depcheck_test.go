package depcheck

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/tooo/relpolicy/"

// allowed is the layering table: for each package of the module (its path
// inside the module), the packages it may import directly, besides the
// standard library. An entry ending in "/..." allows a module or a tree.
// Own packages are written without the module path. The standard library's
// network packages (networkStd) count as imports to allow like any other.
//
// Entries for packages that do not exist yet fix where the network work
// goes: internal/httpx (the shared HTTP transport: retries, backoff,
// Retry-After, a counting transport for tests), internal/github,
// internal/registry and internal/sigstore are the only packages allowed
// network clients; verify and sweep are offline libraries over small
// interfaces declared where they are used, wired to the clients by
// internal/cli. All GitHub work uses go-github v89, the newest major the
// module proxy serves (v62 lacks the attestations API and release-asset
// digests); see docs/architecture.md.
var allowed = map[string][]string{
	// Checking core: no network.
	"schema":                         {"github.com/invopop/jsonschema", "github.com/pb33f/ordered-map/v2"},
	"schema/gen":                     {"schema"},
	"templates":                      {},
	"lint":                           {"lint/baseline", "lint/finding", "lint/policy", "lint/rules", "lint/surface", "lint/workflow", "github.com/bmatcuk/doublestar/v4"},
	"lint/baseline":                  {"lint/finding"},
	"lint/filterpattern":             {},
	"lint/textpos":                   {},
	"lint/finding":                   {},
	"lint/surface":                   {"github.com/bmatcuk/doublestar/v4"},
	"lint/workflow":                  {"github.com/rhysd/actionlint", "go.yaml.in/yaml/v3"},
	"lint/policy":                    {"lint/filterpattern", "lint/finding", "schema", "github.com/santhosh-tekuri/jsonschema/v5", "go.yaml.in/yaml/v3"},
	"lint/rules":                     {"lint/filterpattern", "internal/reference", "lint/finding", "lint/policy", "lint/surface", "lint/workflow", "schema"},
	"lint/report":                    {"lint/finding", "lint/rules"},
	"lint/disclosure":                {"lint/finding", "lint/secrets", "lint/surface", "lint/textpos", "github.com/BobuSumisu/aho-corasick", "github.com/bmatcuk/doublestar/v4"},
	"lint/secrets":                   {"lint/textpos", "github.com/zricethezav/gitleaks/v8/...", "github.com/BobuSumisu/aho-corasick", "github.com/h2non/filetype", "github.com/mholt/archives"},
	"lint/secrets/internal/gentable": {"github.com/zricethezav/gitleaks/v8/config", "github.com/spf13/viper"},
	"lint/secrets/gen":               {"lint/secrets/internal/gentable"},
	"site":                           {"internal/reference", "lint/finding", "lint/surface", "schema", "templates", "github.com/yuin/goldmark/..."},
	// One normalisation of OCI references and download URLs for RP306,
	// lookup, site and verify: a leaf over go-containerregistry's name
	// package (Docker's rules), no network.
	"internal/reference": {"github.com/google/go-containerregistry/pkg/name"},
	"verify":             {"schema", "lint/finding", "lint/policy", "lint/rules", "lint/surface", "github.com/google/go-containerregistry/pkg/name"},
	"sweep":              {"internal/journal", "lint", "lint/...", "schema"},
	// An append-only JSON-lines cache file: sweep's results, httpx's ETags.
	"internal/journal": {},

	// The network boundary.
	"internal/httpx": {"internal/journal", "net/http", "net/http/..."},
	// The clients implement the small interfaces verify (and sweep) declare,
	// so they import those packages for the fact types.
	"internal/github":   {"internal/httpx", "net/http", "verify", "sweep", "github.com/google/go-github/v89/..."},
	"internal/registry": {"internal/httpx", "net/http", "verify", "github.com/google/go-containerregistry/..."},
	// Test servers: an httptest GitHub API fake, and the in-process OCI
	// registry with a recording front for request counts.
	"internal/github/githubtest":     {"net/http", "net/http/..."},
	"internal/registry/registrytest": {"internal/github/githubtest", "internal/httpx", "net/http", "net/http/...", "github.com/google/go-containerregistry/..."},
	// Signatures and attestations for tests: sigstore-go's virtual
	// Sigstore and cosign-format layers signed with generated keys.
	"internal/sigstore/sigstoretest": {"verify", "github.com/sigstore/sigstore-go/...", "github.com/sigstore/protobuf-specs/..."},
	"internal/sigstore":              {"internal/httpx", "net/http", "verify", "github.com/sigstore/sigstore-go/...", "github.com/sigstore/protobuf-specs/...", "github.com/sigstore/sigstore/pkg/...", "github.com/theupdateframework/go-tuf/v2/..."},

	// Wiring and configuration.
	"internal/config": {"lint/disclosure", "github.com/bmatcuk/doublestar/v4", "go.yaml.in/yaml/v3"},
	// init drafts builder declarations by the judgements RP213/RP219 make
	// (rules.Broader, rules.Exposed over schema contexts), so lint does
	// not contradict what it drafts.
	"internal/starter": {"lint/filterpattern", "lint/rules", "lint/surface", "lint/workflow", "schema", "github.com/rhysd/actionlint", "go.yaml.in/yaml/v3"},
	// lookup fetches a published site's index over HTTP: an existing
	// client that moves onto internal/httpx with the network work.
	"internal/lookup": {"internal/reference", "site", "net/http"},
	"internal/cli": {
		"internal/config", "internal/lookup", "internal/starter", "lint", "lint/...", "schema", "site",
		"verify", "sweep", "internal/github", "internal/registry", "internal/sigstore", "internal/httpx",
		"github.com/spf13/cobra", "github.com/schollz/progressbar/v3", "github.com/rogpeppe/go-internal/diff", "golang.org/x/term",
		"net/http", // lookup's client, see internal/lookup
	},
	"cmd/relpolicy":     {"internal/cli"},
	"internal/depcheck": {},

	// Benchmarks and generators.
	"bench/disclosure/compare": {},
	"bench/disclosure/gen":     {"bench/disclosure/tree"},
	"bench/disclosure/scan":    {"internal/config", "lint/disclosure", "lint/surface"},
	"bench/disclosure/tree":    {},
	"bench/measure":            {},
	"bench/realworld/score":    {},
	"bench/site/build":         {"lint/disclosure", "lint/finding", "lint/policy", "schema", "site"},
	"bench/site/floor":         {},
	"bench/site/gen":           {},
}

// networkStd are the standard library's network packages: importing one
// needs an entry in allowed.
var networkStd = []string{"net", "net/http", "net/http/...", "net/rpc", "net/rpc/...", "net/smtp", "crypto/tls"}

// networkClients are the client libraries whose packages only the network
// boundary (and the CLI and command that wire it) may depend on, directly
// or through other packages.
var networkClients = []string{
	"github.com/google/go-github/...",
	"github.com/google/go-containerregistry/pkg/v1/remote/...",
	"github.com/google/go-containerregistry/pkg/v1/remote",
	"github.com/sigstore/sigstore-go/pkg/verify/...",
	"github.com/sigstore/sigstore-go/pkg/verify",
	"github.com/sigstore/sigstore-go/pkg/tuf/...",
	"github.com/sigstore/sigstore-go/pkg/tuf",
	"github.com/theupdateframework/...",
}

// mayReachClients are the packages allowed to depend on networkClients.
var mayReachClients = []string{"internal/httpx", "internal/github", "internal/registry", "internal/registry/registrytest", "internal/sigstore", "internal/sigstore/sigstoretest", "internal/cli", "cmd/relpolicy"}

// matches reports whether path is pattern, or under it for "x/...".
func matches(pattern, path string) bool {
	if p, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == p || strings.HasPrefix(path, p+"/")
	}
	return pattern == path
}

func matchesAny(patterns []string, path string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return matches(p, path) })
}

type pkg struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Deps       []string
}

func list(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json=ImportPath,Standard,Imports,Deps", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// own turns an import path of the module into its table key.
func own(path string) (string, bool) { return strings.CutPrefix(path, module) }

// isStd reports whether an import path is in the standard library (no dot
// in its first element).
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// TestLayering checks every package's direct imports against the table
// and that no package outside the network boundary depends on a network
// client library, even through another module.
func TestLayering(t *testing.T) {
	pkgs := list(t)
	if len(pkgs) < 20 {
		t.Fatalf("listed only %d packages: the listing is wrong", len(pkgs))
	}
	for _, p := range pkgs {
		key, ok := own(p.ImportPath)
		if !ok {
			continue
		}
		allow, ok := allowed[key]
		if !ok {
			t.Errorf("%s has no entry in the layering table", key)
			continue
		}
		for _, imp := range p.Imports {
			if isStd(imp) && !matchesAny(networkStd, imp) {
				continue
			}
			if k, isOwn := own(imp); isOwn {
				imp = k
			}
			if !matchesAny(allow, imp) {
				t.Errorf("%s imports %s, which its layering entry does not allow", key, imp)
			}
		}
		if matchesAny(mayReachClients, key) {
			continue
		}
		for _, d := range p.Deps {
			if matchesAny(networkClients, d) {
				t.Errorf("%s depends on the network client %s: only %v may", key, d, mayReachClients)
			}
		}
	}
}

// TestTableShape: the table names only packages of the module or the
// planned ones, and every own import it allows is itself in the table.
func TestTableShape(t *testing.T) {
	for key, allow := range allowed {
		for _, a := range allow {
			if _, ok := allowed[strings.TrimSuffix(a, "/...")]; ok {
				continue // a package of the module
			}
			if isStd(a) && !matchesAny(networkStd, a) {
				t.Errorf("%s allows %s: neither a package of the module nor a network package of the standard library", key, a)
			}
		}
	}
}

// TestMatches pins the pattern syntax.
func TestMatches(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"lint", "lint", true},
		{"lint", "lint/rules", false},
		{"lint/...", "lint/rules", true},
		{"lint/...", "lint", true},
		{"lint/...", "linter", false},
		{"net/http/...", "net/http/httptest", true},
	} {
		if got := matches(c.pattern, c.path); got != c.want {
			t.Errorf("matches(%q, %q) = %v", c.pattern, c.path, got)
		}
	}
}
