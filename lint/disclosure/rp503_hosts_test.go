package disclosure

import (
	"testing"

	"github.com/tooo/relpolicy/lint/surface"
)

func TestRP503(t *testing.T) {
	ruleCases{
		rule: "RP503",
		kind: surface.Markdown,
		tps: []string{
			"Artifacts are staged on build01.corp before publication.",
			"Pull from https://mirror.internal/v2/ first.",
			"The cache lives at cache.build.lan:3128.",
			"Runners resolve registry.intranet.",
			"ssh admin@signer.localdomain",
			"The NAS is nas.home.arpa.",
			"Open http://grafana.private:3000 for dashboards.",
			"The release host is rel.ci.private.",
			"Printers are at printer.local.",
			"Send logs to https://logs.corp.tooo.net/ingest",
			"Contact ops@corp.tooo.net for access.",
			"Our domain corp.tooo.net hosts the builders.",
			"ci.build.tooo.lan runs the heavy jobs",
			"`BUILD_HOST=ARTIFACTS.CORP`",
			"| signer | hsm-01.internal |",
		},
		fps: []string{
			"Copy .env.local to .env before running.",
			"See config.local.yaml and settings.local.json for overrides.",
			"Go code under cmd/internal and internal/ is private to the module.",
			"import \"github.com/tooo/relpolicy/internal/config\"",
			"The Java package com.example.internal holds helpers.",
			"Use threading.local() for per-thread state.",
			"The field repo.private tells whether the repository is private.",
			"Call this.isPrivate before publishing.",
			"docs/notes.internal is a file name.",
			"localhost.localdomain is the loopback name.",
			"Visit https://example.com and https://aurora.example.org for docs.",
			"The build.internal.example.com host is public.",
			"Locale files: en.locale and fr.locales",
			"organization-controlled build infrastructure and official builders",
			"The corporate network is not described here.",
			"xcorp.tooo.network is someone else's.",
		},
	}.run(t)
}

// TestRP503Weighed: kinds of evidence around an internal host name.
func TestRP503Weighed(t *testing.T) {
	runWeighed(t, "RP503", []weighed{
		{"plain runbook line", "", "Old bundles are kept on archive.lan.", true},
		{"plain config line", "", "```\nSTORE_HOST=store.intranet\n```", true},
		{"own mirror", "", "Our mirror at pkgs.internal serves the base images.", true},
		{"placeholder your-", "", "Set mirrors to [\"yourmirror.local:5000\"] for the mirror.", false},
		{"template placeholder", "", "Our builders reach <name>.internal.", false},
		{"in-cluster name in user docs", "", "Send logs to http://collector.obs.svc.cluster.local:4318", false},
		{"in-cluster name in a release workflow", ".github/workflows/release.yml", "on: push\njobs:\n  t:\n    steps:\n      - run: curl http://cache.ci.svc.cluster.local/\n", true},
		{"kops cluster name", "", "clusterName: prod.cluster.k8s.local", false},
		{"filter operand", "", "filters = [\"type==source.local\"]", false},
		{"universal name", "", "Our release builders reach host.containers.internal.", false},
		{"second person", "", "You can pull the images from cache.internal first.", false},
		{"example-headed section", "", "### Example of collected data\n\n```yaml\nendpoint: tcp://store.intranet:2375\n```", false},
	})
}
