package starter

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/rhysd/actionlint"
	"github.com/tooo/relpolicy/lint/surface"
	"go.yaml.in/yaml/v3"
)

// Workflow is what one GitHub Actions workflow shows about releasing.
type Workflow struct {
	Path        string   // .github/workflows/release.yml
	TagPatterns []string // on.push.tags filter patterns, as written
	Tagged      bool     // runs on tag pushes, tag creation or release events
	Dispatch    bool     // runs on workflow_dispatch
	Triggers    []string // event names, in order
	Untrusted   bool     // runs on pull_request, pull_request_target or issue_comment
	OIDC        bool     // some job may request an OIDC token (id-token: write)
	Publishes   []string // what it publishes, e.g. "pushes container images"; empty: not a builder
	Runs        []string // run: scripts, in order, for entrypoint and checksum detection
	Uses        []string // action and reusable-workflow references, without @ref

	Images     []string // registry repositories it pushes to (host/path)
	Extensions []string // heavy-artifact file extensions its publishing steps name
	Signing    []Evidence
	Attests    []Evidence
	Packages   []string // package registries it publishes to: pypi, npm
	Uploads    bool     // uploads release files somewhere other than a GitHub release
	Releases   bool     // creates GitHub releases or uploads release assets
	GoReleaser bool     // runs goreleaser release
	Reusable   []string // external reusable workflows called with secrets or an OIDC token
	MaybeRel   string   // what it runs or uses whose effect is not visible: "runs `make ci-release`", "uses org/ci/publish_release"
	Local      []localRef
}

// localRef is a step that uses a composite action of the same repository.
type localRef struct{ uses, job string }

// absorbLocal scans the steps of the repository's own composite actions a
// workflow uses, as if they were its steps.
func (w *Workflow) absorbLocal(fsys fs.FS) {
	var publishing []string
	for _, l := range w.Local {
		dir := path.Clean(strings.TrimPrefix(l.uses, "./"))
		var src []byte
		for _, n := range []string{"action.yml", "action.yaml"} {
			if b, err := surface.Read(fsys, path.Join(dir, n)); err == nil {
				src = b
				break
			}
		}
		if src == nil {
			continue
		}
		var doc struct {
			Runs struct {
				Steps []struct {
					Run  string            `yaml:"run"`
					Uses string            `yaml:"uses"`
					With map[string]string `yaml:"with"`
				} `yaml:"steps"`
			} `yaml:"runs"`
		}
		if yaml.Unmarshal(src, &doc) != nil {
			continue
		}
		job := l.job + " via " + dir
		for _, st := range doc.Runs.Steps {
			if st.Run != "" {
				w.Runs = append(w.Runs, commands(st.Run))
				if w.scanRun(st.Run, job) {
					publishing = append(publishing, st.Run)
				}
			}
			if st.Uses != "" {
				x := &actionlint.ExecAction{Uses: &actionlint.String{Value: st.Uses}, Inputs: map[string]*actionlint.Input{}}
				text := st.Uses
				for k, v := range st.With {
					x.Inputs[k] = &actionlint.Input{Name: &actionlint.String{Value: k}, Value: &actionlint.String{Value: v}}
					text += "\n" + k + ": " + v
				}
				if w.scanAction(st.Uses, x, job) {
					publishing = append(publishing, text)
				}
			}
		}
	}
	w.collect(publishing)
	for _, e := range w.Signing {
		if !e.Weak {
			w.Publishes = appendNew(w.Publishes, "signs")
		}
	}
}

// Evidence is one sign of signing or attesting: the method and where it was read.
type Evidence struct {
	Method string // cosign-keyless, cosign-key, gpg, other; or an attestation type
	From   string // where it was read, e.g. ".github/workflows/release.yml (cosign sign)"
	Weak   bool   // a tool installed, not seen used (sigstore/cosign-installer)
}

var (
	imageRefRe = regexp.MustCompile(`\b((?:ghcr\.io|quay\.io|docker\.io|gcr\.io|public\.ecr\.aws|registry\.[a-z0-9.-]+|[a-z0-9-]+-docker\.pkg\.dev|[a-z0-9-]+\.azurecr\.io)/[A-Za-z0-9._/${}\-]+)`)
	pushRunRe  = regexp.MustCompile(`(\b(docker|podman|buildah)|\$[({](DOCKER|PODMAN|CONTAINER_ENGINE)[)}]) (image )?push\b|buildx (build|bake)\b[^\n]*--push\b|(\bko|\$[({]KO[)}]) (build|publish|resolve)\b|\bskopeo copy\b|\bcrane (push|copy)\b|\boras push\b`)
	releaseRe  = regexp.MustCompile(`\bgh release (create|upload)\b|\bhub release create\b`)
	uploadRe   = regexp.MustCompile(`\baws s3 (cp|sync)\b|\bgsutil (-m )?(cp|rsync)\b|\bgcloud storage cp\b|\baz storage blob upload\b|\brsync\b[^\n]*@|\bscp\b`)
	cosignRe   = regexp.MustCompile(`\bcosign (sign|sign-blob)\b[^\n]*`)
	gpgRe      = regexp.MustCompile(`\bgpg2?\b[^\n]*(--detach-sign|--clearsign|--sign\b| -[a-z]*b[a-z]*\b)`)
	otherSigRe = regexp.MustCompile(`\brauc bundle\b[^\n]*--key|\bespsecure(\.py)? sign_data\b|\bimgtool(\.py)? sign\b|\bsbsign\b|\bminisign -S\b|\bsignify -S\b|\bopenssl (dgst|cms|smime)\b[^\n]*-sign\b`)
	attestRe   = regexp.MustCompile(`\bcosign attest(-blob)?\b`)
	pypiRe     = regexp.MustCompile(`\btwine upload\b|\buv publish\b|\bpoetry publish\b|\bflit publish\b`)
	npmRe      = regexp.MustCompile(`\bnpm publish\b|\bpnpm publish\b|\byarn (npm )?publish\b`)
	// opaqueRe names external actions whose name says they publish, though
	// what they do is not visible here (prometheus/promci/publish_release).
	opaqueRe   = regexp.MustCompile(`(?i)/[^/]*(publish|release|deploy|push)[^/]*$`)
	maybeRelRe = regexp.MustCompile(`\b(?:make|task|just|mage|npm run)\s+[A-Za-z0-9_.:-]*(?:release|publish)[A-Za-z0-9_.:-]*`)
	goreleasRe = regexp.MustCompile(`\bgoreleaser\b[^\n]*\brelease\b`)
	// heavyExtRe finds file names whose extension marks an OS image or firmware.
	heavyExtRe = regexp.MustCompile(`[A-Za-z0-9_*-]\.(iso|img|img\.xz|img\.gz|img\.zst|raw\.xz|raw\.zst|raw|qcow2|vhd|vmdk|ova|uf2|bin|hex|raucb|swu|mender|ipk)(?:$|[\s"',)\]])`)
	koLocalEnv = regexp.MustCompile(`KO_DOCKER_REPO=ko\.local\b[^\n]*`)
	localKoRe  = regexp.MustCompile(`(\bko|\$[({]KO[)}]) (build|publish|resolve)\b[^\n]*(--local|\s-L\b|--push=false)`)
)

// actionKinds maps an action (owner/repo[/path], no @ref) to what using it means.
var actionKinds = map[string]string{
	"docker/build-push-action":                       "image",
	"docker/bake-action":                             "image",
	"redhat-actions/push-to-registry":                "image",
	"ko-build/setup-ko":                              "",
	"softprops/action-gh-release":                    "release",
	"ncipollo/release-action":                        "release",
	"actions/create-release":                         "release",
	"actions/upload-release-asset":                   "release",
	"svenstaro/upload-release-action":                "release",
	"goreleaser/goreleaser-action":                   "goreleaser",
	"pypa/gh-action-pypi-publish":                    "pypi",
	"JS-DevTools/npm-publish":                        "npm",
	"sigstore/cosign-installer":                      "cosign",
	"actions/attest-build-provenance":                "slsa-provenance",
	"actions/attest":                                 "attestation",
	"actions/attest-sbom":                            "sbom",
	"bacongobbler/azure-blob-storage-upload":         "upload",
	"aws-actions/configure-aws-credentials":          "",
	"google-github-actions/upload-cloud-storage":     "upload",
	"jakejarvis/s3-sync-action":                      "upload",
	"slsa-framework/slsa-github-generator":           "slsa-provenance",
	"anchore/sbom-action":                            "",
	"actions/upload-artifact":                        "",
	"docker/login-action":                            "",
	"sigstore/gh-action-sigstore-python":             "sigstore",
	"crazy-max/ghaction-import-gpg":                  "gpg",
	"step-security/harden-runner":                    "",
	"actions/checkout":                               "",
	"slsa-framework/slsa-github-generator/.github":   "slsa-provenance",
	"slsa-framework/slsa-verifier/actions/installer": "",
}

// actionKind returns the kind of a uses: reference (owner/repo/path@ref).
func actionKind(uses string) string {
	u, _, _ := strings.Cut(uses, "@")
	for strings.Count(u, "/") >= 1 {
		if k, ok := actionKinds[u]; ok {
			return k
		}
		i := strings.LastIndexByte(u, '/')
		if i < 0 {
			break
		}
		u = u[:i]
	}
	return ""
}

// readWorkflows parses every workflow under .github/workflows with
// actionlint's parser. Files it cannot parse at all are skipped: they are not
// evidence of anything.
func readWorkflows(fsys fs.FS) []Workflow {
	entries, _ := fs.ReadDir(fsys, ".github/workflows")
	var out []Workflow
	for _, e := range entries {
		p := path.Join(".github/workflows", e.Name())
		if ext := path.Ext(p); e.IsDir() || ext != ".yml" && ext != ".yaml" {
			continue
		}
		b, err := surface.Read(fsys, p)
		if err != nil {
			continue
		}
		if w, ok := analyseWorkflow(p, b); ok {
			out = append(out, w)
		}
	}
	return out
}

func str(s *actionlint.String) string {
	if s == nil {
		return ""
	}
	return s.Value
}

// analyseWorkflow reads one workflow's triggers, jobs and steps.
func analyseWorkflow(p string, src []byte) (Workflow, bool) {
	wf, _ := actionlint.Parse(src)
	if wf == nil {
		return Workflow{}, false
	}
	w := Workflow{Path: p}
	for _, ev := range wf.On {
		switch e := ev.(type) {
		case *actionlint.WebhookEvent:
			w.Triggers = appendNew(w.Triggers, str(e.Hook))
			switch str(e.Hook) {
			case "pull_request", "pull_request_target", "issue_comment", "workflow_run":
				w.Untrusted = true
			case "push":
				if !e.Tags.IsEmpty() {
					w.Tagged = true
					for _, t := range e.Tags.Values {
						w.TagPatterns = append(w.TagPatterns, t.Value)
					}
				}
			case "release", "create":
				w.Tagged = true
			}
		case *actionlint.WorkflowDispatchEvent:
			w.Dispatch = true
			w.Triggers = appendNew(w.Triggers, "workflow_dispatch")
		case *actionlint.ScheduledEvent:
			w.Triggers = appendNew(w.Triggers, "schedule")
		case *actionlint.WorkflowCallEvent:
			w.Triggers = appendNew(w.Triggers, "workflow_call")
		case *actionlint.RepositoryDispatchEvent:
			w.Triggers = appendNew(w.Triggers, "repository_dispatch")
		}
	}
	if permWrites(wf.Permissions, "id-token") {
		w.OIDC = true
	}
	var publishing []string // text of steps that publish, for images and extensions
	jobIDs := make([]string, 0, len(wf.Jobs))
	for id := range wf.Jobs {
		jobIDs = append(jobIDs, id)
	}
	slices.Sort(jobIDs)
	for _, id := range jobIDs {
		j := wf.Jobs[id]
		if permWrites(j.Permissions, "id-token") {
			w.OIDC = true
		}
		if j.WorkflowCall != nil {
			u := str(j.WorkflowCall.Uses)
			w.Uses = append(w.Uses, u)
			switch k := actionKind(u); {
			case k == "slsa-provenance" || strings.Contains(u, "slsa-github-generator"):
				w.Attests = append(w.Attests, Evidence{Method: "slsa-provenance", From: p + " (job " + id + " calls slsa-github-generator)"})
			case !strings.HasPrefix(u, "./") && (j.WorkflowCall.InheritSecrets || len(j.WorkflowCall.Secrets) > 0 || permWrites(j.Permissions, "id-token")):
				w.Reusable = append(w.Reusable, u)
			}
			in := func(name string) string {
				if x, ok := j.WorkflowCall.Inputs[name]; ok {
					return str(x.Value)
				}
				return ""
			}
			if v := in("push"); v != "" && v != "false" {
				w.Publishes = appendNew(w.Publishes, "pushes container images")
				var text string
				for _, x := range j.WorkflowCall.Inputs {
					text += str(x.Value) + "\n"
				}
				publishing = append(publishing, text)
			}
			if v := in("sign"); v != "" && v != "false" {
				w.Signing = append(w.Signing, Evidence{Method: "cosign-keyless", From: p + " (job " + id + " calls " + strings.SplitN(u, "@", 2)[0] + " with sign)"})
			}
		}
		for _, s := range j.Steps {
			switch x := s.Exec.(type) {
			case *actionlint.ExecRun:
				run := commands(str(x.Run))
				w.Runs = append(w.Runs, run)
				if w.scanRun(run, id) {
					publishing = append(publishing, run)
				}
				if m := maybeRelRe.FindString(run); m != "" && w.MaybeRel == "" {
					w.MaybeRel = "runs `" + m + "`"
				}
			case *actionlint.ExecAction:
				u := str(x.Uses)
				w.Uses = append(w.Uses, u)
				if strings.HasPrefix(u, "./") {
					w.Local = append(w.Local, localRef{u, id})
				}
				text := u
				for _, in := range x.Inputs {
					text += "\n" + str(in.Name) + ": " + str(in.Value)
				}
				if w.scanAction(u, x, id) {
					publishing = append(publishing, text)
				}
				if name, _, _ := strings.Cut(u, "@"); actionKind(u) == "" && !strings.HasPrefix(u, "./") && opaqueRe.MatchString(name) && w.MaybeRel == "" {
					w.MaybeRel = "uses " + name
				}
				// Wrappers such as retry actions run a command input.
				for _, name := range []string{"command", "run", "script"} {
					if in, ok := x.Inputs[name]; ok {
						run := commands(str(in.Value))
						w.Runs = append(w.Runs, run)
						if w.scanRun(run, id) {
							publishing = append(publishing, run)
						}
					}
				}
			}
		}
	}
	w.collect(publishing)
	for _, e := range w.Signing {
		if !e.Weak {
			w.Publishes = appendNew(w.Publishes, "signs")
		}
	}
	return w, true
}

// collect reads the image repositories and heavy file extensions named by
// publishing steps.
func (w *Workflow) collect(publishing []string) {
	for _, t := range publishing {
		for _, m := range imageRefRe.FindAllStringSubmatch(t, -1) {
			w.Images = appendNew(w.Images, strings.TrimRight(m[1], "/:."))
		}
		for _, m := range heavyExtRe.FindAllStringSubmatch(t, -1) {
			w.Extensions = appendNew(w.Extensions, "."+m[1])
		}
	}
}

// absorbMake scans the recipes of the make targets a workflow runs, as if
// they were run: steps, so "make sign-release" counts as what it does.
func (w *Workflow) absorbMake(recipes map[string]string) {
	var publishing []string
	for _, run := range w.Runs {
		for _, target := range makeGoals(run) {
			text := recipes[target]
			if text == "" {
				continue
			}
			if w.scanRun(text, "make "+target) {
				publishing = append(publishing, run+"\n"+text) // the call may set the image name
			}
		}
	}
	w.collect(publishing)
	for _, e := range w.Signing {
		if !e.Weak {
			w.Publishes = appendNew(w.Publishes, "signs")
		}
	}
}

// commands drops the lines of a script that only print or comment, so
// "echo 'then run make release'" is not taken for a release.
func commands(run string) string {
	var b strings.Builder
	run = strings.ReplaceAll(run, "\\\n", " ") // join continued lines
	for _, l := range strings.Split(run, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "echo ") || strings.HasPrefix(t, "printf ") {
			continue
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// scanRun records what a run: script publishes; it reports whether it publishes.
func (w *Workflow) scanRun(run, job string) bool {
	run = commands(run)
	pub := false
	if pushRunRe.MatchString(koLocalEnv.ReplaceAllString(localKoRe.ReplaceAllString(run, ""), "")) {
		w.Publishes, pub = appendNew(w.Publishes, "pushes container images"), true
	}
	if releaseRe.MatchString(run) {
		w.Publishes, pub = appendNew(w.Publishes, "creates GitHub releases"), true
		w.Releases = true
	}
	if goreleasRe.MatchString(run) {
		w.Publishes, pub = appendNew(w.Publishes, "runs goreleaser release"), true
		w.GoReleaser, w.Releases = true, true
	}
	if uploadRe.MatchString(run) {
		w.Publishes, pub = appendNew(w.Publishes, "uploads release files"), true
		w.Uploads = true
	}
	if pypiRe.MatchString(run) {
		w.Publishes, pub = appendNew(w.Publishes, "publishes packages"), true
		w.Packages = appendNew(w.Packages, "pypi")
	}
	if npmRe.MatchString(run) {
		w.Publishes, pub = appendNew(w.Publishes, "publishes packages"), true
		w.Packages = appendNew(w.Packages, "npm")
		if strings.Contains(run, "--provenance") {
			w.Attests = append(w.Attests, Evidence{Method: "slsa-provenance", From: w.Path + " (job " + job + " runs npm publish --provenance)"})
		}
	}
	for _, m := range cosignRe.FindAllString(run, -1) {
		method := "cosign-keyless"
		if strings.Contains(m, "--key") {
			method = "cosign-key"
		}
		w.Signing = append(w.Signing, Evidence{Method: method, From: w.Path + " (job " + job + " runs " + firstWords(m, 2) + ")"})
	}
	if m := gpgRe.FindString(run); m != "" {
		w.Signing = append(w.Signing, Evidence{Method: "gpg", From: w.Path + " (job " + job + " runs gpg)"})
	}
	if m := otherSigRe.FindString(run); m != "" {
		w.Signing = append(w.Signing, Evidence{Method: "other", From: w.Path + " (job " + job + " runs " + firstWords(m, 2) + ")"})
	}
	if attestRe.MatchString(run) {
		w.Attests = append(w.Attests, Evidence{Method: "attestation", From: w.Path + " (job " + job + " runs cosign attest)"})
	}
	return pub
}

// scanAction records what an action step publishes; it reports whether it publishes.
func (w *Workflow) scanAction(u string, x *actionlint.ExecAction, job string) bool {
	input := func(name string) string {
		if in, ok := x.Inputs[name]; ok {
			return str(in.Value)
		}
		return ""
	}
	from := w.Path + " (job " + job + " uses " + strings.SplitN(u, "@", 2)[0] + ")"
	switch actionKind(u) {
	case "image":
		if v := input("push"); v != "" && v != "false" {
			w.Publishes = appendNew(w.Publishes, "pushes container images")
			return true
		}
		if strings.Contains(input("outputs"), "push=true") || strings.Contains(input("set"), "push=true") {
			w.Publishes = appendNew(w.Publishes, "pushes container images")
			return true
		}
	case "release":
		w.Publishes = appendNew(w.Publishes, "creates GitHub releases")
		w.Releases = true
		return true
	case "goreleaser":
		if strings.Contains(input("args"), "release") {
			w.Publishes = appendNew(w.Publishes, "runs goreleaser release")
			w.GoReleaser, w.Releases = true, true
			return true
		}
	case "pypi":
		w.Publishes = appendNew(w.Publishes, "publishes packages")
		w.Packages = appendNew(w.Packages, "pypi")
		return true
	case "npm":
		w.Publishes = appendNew(w.Publishes, "publishes packages")
		w.Packages = appendNew(w.Packages, "npm")
		return true
	case "upload":
		w.Publishes = appendNew(w.Publishes, "uploads release files")
		w.Uploads = true
		return true
	case "cosign":
		w.Signing = append(w.Signing, Evidence{Method: "cosign-keyless", From: from, Weak: true})
	case "sigstore":
		w.Signing = append(w.Signing, Evidence{Method: "cosign-keyless", From: from})
	case "gpg":
		w.Signing = append(w.Signing, Evidence{Method: "gpg", From: from})
	case "slsa-provenance":
		w.Attests = append(w.Attests, Evidence{Method: "slsa-provenance", From: from})
	case "sbom":
		w.Attests = append(w.Attests, Evidence{Method: "sbom", From: from})
	case "attestation":
		w.Attests = append(w.Attests, Evidence{Method: "attestation", From: from})
	}
	return false
}

// permWrites reports whether permissions grant write on scope (or write-all).
func permWrites(p *actionlint.Permissions, scope string) bool {
	if p == nil {
		return false
	}
	if str(p.All) == "write-all" {
		return true
	}
	if s, ok := p.Scopes[scope]; ok && s != nil && str(s.Value) == "write" {
		return true
	}
	return false
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

var makeCallRe = regexp.MustCompile(`(?m)(?:^|[;&|(]\s*|\s)make\s+([^;&|\n)]*)`)

// makeGoals returns the goals of every make call in a script: its words
// that are neither options (and their values) nor VAR=value assignments.
func makeGoals(run string) []string {
	var out []string
	for _, m := range makeCallRe.FindAllStringSubmatch(run, -1) {
		words := strings.Fields(m[1])
		for i := 0; i < len(words); i++ {
			w := words[i]
			switch {
			case w == "-C" || w == "-f" || w == "-j" || w == "-o":
				i++
			case strings.HasPrefix(w, "-") || strings.Contains(w, "=") || strings.ContainsAny(w, "$\"'`>"):
			default:
				out = appendNew(out, w)
			}
		}
	}
	return out
}
