// Package starter drafts a release-policy.yaml from what a repository shows:
// its git remote, release workflows (parsed with actionlint's parser),
// GoReleaser and ko configuration, build files (Makefile, Taskfile,
// justfile, magefiles, package.json) and OS-image or firmware build systems.
//
// Every value read from the repository carries a "# from ..." comment naming
// where; every guess carries a "# TODO: ..." comment naming what to check, on
// the line relpolicy lint points at when the guess is wrong.
package starter

import (
	"fmt"
	"io/fs"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tooo/relpolicy/lint/filterpattern"
	"github.com/tooo/relpolicy/lint/surface"
)

// Facts are the drafted policy: each value with the note that says where it
// came from or what to check.
type Facts struct {
	Owner, Name  string
	RepoNote     Note
	Today        string
	Artifacts    []Artifact
	Channels     []Channel
	Entrypoint   Entrypoint
	Contexts     []Context
	Builders     []Builder
	Checksums    *Checksums
	Signatures   Signatures
	Attestations Attestations
}

// Note is a value's comment: From says where it was read; TODO, when set,
// says what to check because the value is a guess.
type Note struct{ From, TODO string }

func from(s string) Note   { return Note{From: s} }
func todo(s string) Note   { return Note{TODO: s} }
func (n Note) Guess() bool { return n.TODO != "" }

// Comment renders the note as a trailing YAML comment ("" for none).
func (n Note) Comment() string {
	switch {
	case n.TODO != "":
		return "  # TODO: " + n.TODO
	case n.From != "":
		return "  # from " + n.From
	}
	return ""
}

// Artifact is one drafted artifact type.
type Artifact struct {
	ID, Name, Type, Identity, Channel string
	Note                              Note
}

// Channel is one drafted release channel.
type Channel struct {
	ID, Type, Location string
	Note, LocationNote Note
}

// Entrypoint is the drafted public build entrypoint.
type Entrypoint struct {
	ID, Command, Path, Docs string
	Note, PathNote          Note
}

// Context is one drafted trusted release context.
type Context struct {
	Pattern string
	Note    Note
}

// Builder is one drafted privileged builder.
type Builder struct {
	ID, Ref, Infrastructure string
	Credentials             string // short-lived or long-lived
	Isolated                bool
	RunsUntrusted           bool
	Note, RefNote           Note
	UntrustedNote           Note
	// InfraNote, CredNote and IsolatedNote say where the values were
	// read; TriggerNote, when set, names triggers broader than the
	// drafted contexts.
	InfraNote, CredNote, IsolatedNote, TriggerNote Note
}

// Checksums is the drafted checksum file.
type Checksums struct {
	File string
	Note Note
}

// Signatures is the drafted signing record.
type Signatures struct {
	Used         bool
	Method       string
	Identity     SignerSubject
	Note, IDNote Note
}

// Attestations is the drafted attestation record.
type Attestations struct {
	Used     bool
	Types    []string
	Note     Note
	Identity SignerSubject
	IDNote   Note
}

var remoteRe = regexp.MustCompile(`github\.com[:/]([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+?)(?:\.git)?/?$`)

// Inspect drafts a policy for the repository at dir (fsys rooted there).
// It never fails: what it cannot read becomes a TODO.
func Inspect(dir string, fsys fs.FS, now time.Time) Facts {
	f := Facts{Owner: "owner", Name: "project", Today: now.UTC().Format(time.DateOnly)}
	f.RepoNote = todo("no GitHub remote found; set owner/name")
	if abs, err := filepath.Abs(dir); err == nil {
		if n := idPart(filepath.Base(abs)); n != "" {
			f.Name = n
		}
	}
	if out, err := exec.Command("git", "-C", dir, "remote", "get-url", "origin").Output(); err == nil {
		if m := remoteRe.FindStringSubmatch(strings.TrimSpace(string(out))); m != nil {
			f.Owner, f.Name = strings.ToLower(m[1]), idPart(m[2])
			f.RepoNote = from("the git remote origin")
		}
	}
	in := gather(fsys, f.Name)
	f.draftBuilders(in)
	f.draftArtifacts(in)
	f.draftEntrypoint(in)
	f.draftContexts(in)
	f.declare(fsys)
	f.draftChecksums(in)
	f.draftSigning(in)
	for _, n := range []string{"docs/building.md", "docs/build.md", "BUILDING.md", "docs/development.md", "CONTRIBUTING.md"} {
		if _, err := fs.Stat(fsys, n); err == nil {
			f.Entrypoint.Docs = n
			break
		}
	}
	return f
}

// inputs is everything read from the repository.
type inputs struct {
	fsys      fs.FS
	workflows []Workflow
	builders  []Workflow // workflows that publish or sign
	gr        *GoReleaser
	grRun     *Workflow // the builder that runs goreleaser release
	grGuess   bool      // grRun runs a release-named target that may run goreleaser
	targets   Targets
	images    []ImageBuilder
	makefile  string
	recipes   map[string]string // Makefile target → recipe (with its prerequisites')
	ko        bool
}

func gather(fsys fs.FS, repoName string) *inputs {
	in := &inputs{fsys: fsys, workflows: readWorkflows(fsys), gr: readGoReleaser(fsys, repoName), targets: readTargets(fsys), images: findImageBuilders(fsys)}
	if b, err := surface.Read(fsys, "Makefile"); err == nil {
		in.makefile = string(b)
		in.recipes = makeRecipes(b)
		for i := range in.workflows {
			in.workflows[i].absorbMake(in.recipes)
		}
	}
	for i := range in.workflows {
		in.workflows[i].absorbLocal(fsys)
	}
	for _, w := range in.workflows {
		if len(w.Publishes) > 0 || (len(w.Reusable) > 0 || w.MaybeRel != "") && (w.Tagged || w.Dispatch) || slices.ContainsFunc(w.Reusable, deployCall) {
			in.builders = append(in.builders, w)
		}
	}
	for i := range in.builders {
		if in.builders[i].GoReleaser && in.grRun == nil {
			in.grRun = &in.builders[i]
		}
	}
	if in.grRun == nil && in.gr != nil {
		for i := range in.builders {
			if in.builders[i].MaybeRel != "" {
				in.grRun, in.grGuess = &in.builders[i], true
				break
			}
		}
	}
	for _, n := range []string{".ko.yaml", ".ko.yml"} {
		if _, err := fs.Stat(fsys, n); err == nil {
			in.ko = true
		}
	}
	return in
}

// deployRe matches the file name of a reusable workflow that says it
// deploys, publishes or releases (yocto-build-deploy.yml, publish.yml).
var deployRe = regexp.MustCompile(`(?i)(deploy|publish|release)[^/@]*\.ya?ml(@|$)`)

// deployCall reports whether an external reusable workflow, called with
// secrets or an OIDC token, names publishing in its file name: whatever
// triggers the caller (a merged pull request, a branch push), it is drafted
// as a builder with a TODO.
func deployCall(uses string) bool { return deployRe.MatchString(uses) }

func (f *Facts) draftBuilders(in *inputs) {
	for _, w := range in.builders {
		// Defaults for a workflow the lint model cannot parse; declare
		// replaces them with what the workflow shows.
		b := Builder{ID: slug(w.Path), Ref: w.Path, Infrastructure: "third-party-hosted", Credentials: "short-lived", Isolated: true,
			InfraNote:    todo("who runs the release machines"),
			CredNote:     todo("long-lived if it holds static keys or tokens"),
			IsolatedNote: todo("true only if validation CI never runs on these runners")}
		what := strings.Join(w.Publishes, ", ")
		switch {
		case what == "" && w.MaybeRel != "":
			b.Note = todo(w.Path + " " + w.MaybeRel + "; check it publishes, or drop this builder")
		case what == "":
			what = "calls " + strings.Join(w.Reusable, ", ") + " with secrets or an OIDC token"
			b.Note = todo(w.Path + " " + what + ": check the called workflow publishes, or drop this builder")
		default:
			b.Note = from(w.Path + ": " + what)
		}
		b.RunsUntrusted = w.Untrusted
		if w.Untrusted {
			b.UntrustedNote = todo("it runs on " + strings.Join(w.Triggers, ", ") + ": can a fork's code reach the release job?")
		} else {
			b.UntrustedNote = from("its triggers: " + strings.Join(w.Triggers, ", "))
		}
		f.Builders = append(f.Builders, b)
	}
}

// addArtifact adds an artifact type unless one of that type already goes
// to that channel.
func (f *Facts) addArtifact(a Artifact) {
	for _, x := range f.Artifacts {
		if x.Type == a.Type && x.Channel == a.Channel {
			return
		}
	}
	base := f.Name + "-" + map[string]string{"oci-image": "image", "os-image": "os-image", "firmware": "firmware", "package": "package", "file": "binaries", "archive": "archive"}[a.Type]
	a.ID = base
	for n := 2; slices.ContainsFunc(f.Artifacts, func(x Artifact) bool { return x.ID == a.ID }); n++ {
		a.ID = fmt.Sprintf("%s-%d", base, n)
	}
	f.Artifacts = append(f.Artifacts, a)
}

// addChannel adds a channel unless one with that id exists; it returns the id.
func (f *Facts) addChannel(c Channel) string {
	for _, x := range f.Channels {
		if x.ID == c.ID {
			return x.ID
		}
	}
	f.Channels = append(f.Channels, c)
	return c.ID
}

func (f *Facts) ghRelease(note Note) string {
	return f.addChannel(Channel{ID: "github-releases", Type: "github-release", Location: "https://github.com/" + f.Owner + "/" + f.Name + "/releases/download/", Note: note})
}

func (f *Facts) registry(image string, note Note) string {
	c := Channel{Type: "oci-registry", Location: image, Note: note}
	if image == "" || strings.Contains(image, "$") {
		c.Location = "ghcr.io/" + f.Owner + "/" + f.Name
		c.LocationNote = todo("the image repository is not named where it is pushed; write the real one")
		if image != "" {
			c.LocationNote = todo("the image repository is templated (" + image + "); write the real one")
		}
	}
	host, _, _ := strings.Cut(c.Location, "/")
	c.ID = idPart(strings.TrimSuffix(strings.TrimSuffix(host, ".io"), ".com"))
	if c.ID == "" {
		c.ID = "registry"
	}
	for _, x := range f.Channels {
		if x.ID == c.ID && x.Location != c.Location {
			c.ID += "-" + idPart(path.Base(c.Location))
		}
	}
	return f.addChannel(c)
}

func (f *Facts) draftArtifacts(in *inputs) {
	for _, w := range in.builders {
		n := from(w.Path)
		for _, img := range w.Images {
			if slices.Contains(w.Publishes, "pushes container images") {
				f.addArtifact(Artifact{Name: f.Name + " container image", Type: "oci-image", Identity: "digest", Channel: f.registry(img, n), Note: n})
			}
		}
		if len(w.Images) == 0 && slices.Contains(w.Publishes, "pushes container images") {
			f.addArtifact(Artifact{Name: f.Name + " container image", Type: "oci-image", Identity: "digest", Channel: f.registry("", n), Note: n})
		}
		for _, ext := range w.Extensions {
			typ, name := heavyType(ext)
			ch := f.ghRelease(n)
			if w.Uploads && !w.Releases {
				ch = f.addChannel(Channel{ID: "downloads", Type: "download", Location: "https://downloads.example.org/" + f.Name + "/", Note: n, LocationNote: todo("where " + w.Path + " uploads release files")})
			}
			f.addArtifact(Artifact{Name: f.Name + " " + name + " (" + ext + ")", Type: typ, Identity: "checksum", Channel: ch, Note: from(w.Path + " publishes " + ext + " files")})
		}
		for _, p := range w.Packages {
			loc := map[string]string{"pypi": "https://pypi.org/project/" + f.Name + "/", "npm": "https://www.npmjs.com/package/" + f.Name}[p]
			ch := f.addChannel(Channel{ID: p, Type: "package-registry", Location: loc, Note: n, LocationNote: todo("the package's real name on " + p)})
			f.addArtifact(Artifact{Name: f.Name + " " + p + " package", Type: "package", Identity: "version-tag", Channel: ch, Note: n})
		}
		if (w.Releases && !w.GoReleaser || w.Uploads) && len(w.Extensions) == 0 {
			ch := ""
			if w.Releases {
				ch = f.ghRelease(n)
			} else {
				ch = f.addChannel(Channel{ID: "downloads", Type: "download", Location: "https://downloads.example.org/" + f.Name + "/", Note: n, LocationNote: todo("where " + w.Path + " uploads release files")})
			}
			f.addArtifact(Artifact{Name: f.Name + " release files", Type: "archive", Identity: "checksum", Channel: ch, Note: todo(w.Path + " publishes files; check they are archives (else file)")})
		}
	}
	selfPublished := slices.ContainsFunc(in.builders, func(w Workflow) bool { return w.Releases && !w.GoReleaser || w.Uploads })
	if g := in.gr; g != nil && (in.grRun != nil || !selfPublished) {
		var n Note
		switch {
		case in.grRun == nil:
			n = todo("no workflow runs goreleaser release (" + g.Path + "); check this is what is published")
		case in.grGuess:
			n = todo(g.Path + "; " + in.grRun.Path + " " + in.grRun.MaybeRel + ": check it runs goreleaser release")
		default:
			n = from(g.Path + ", run by " + in.grRun.Path)
		}
		if g.Archives {
			f.addArtifact(Artifact{Name: f.Name + " release archives", Type: "archive", Identity: "checksum", Channel: f.ghRelease(n), Note: n})
		}
		if g.Binaries {
			f.addArtifact(Artifact{Name: f.Name + " binaries", Type: "file", Identity: "checksum", Channel: f.ghRelease(n), Note: n})
		}
		if g.Packages {
			f.addArtifact(Artifact{Name: f.Name + " Linux packages (nfpms)", Type: "package", Identity: "checksum", Channel: f.ghRelease(n), Note: n})
		}
		for _, img := range g.Images {
			f.addArtifact(Artifact{Name: f.Name + " container image", Type: "oci-image", Identity: "digest", Channel: f.registry(img, n), Note: n})
		}
	}
	if in.ko && !slices.ContainsFunc(f.Artifacts, func(a Artifact) bool { return a.Type == "oci-image" }) {
		n := todo(".ko.yaml configures ko; check which workflow pushes the images")
		f.addArtifact(Artifact{Name: f.Name + " container image (ko)", Type: "oci-image", Identity: "digest", Channel: f.registry("", n), Note: n})
	}
	promu := false
	if p, ok := promuTarballs(in.fsys); ok && len(f.Artifacts) == 0 {
		// promu packs the release tarballs; which workflow uploads them
		// (promu release) is often in a shared CI repository.
		n := todo(p + " configures promu's release tarballs; check which workflow publishes them")
		f.addArtifact(Artifact{Name: f.Name + " release tarballs (promu)", Type: "archive", Identity: "checksum", Channel: f.ghRelease(n), Note: n})
		promu = true
	}
	if len(f.Artifacts) == 0 {
		for _, ib := range in.images {
			n := todo(ib.Name + " builds it (" + ib.Evidence + "); check where releases are published")
			ch := f.ghRelease(n)
			f.addArtifact(Artifact{Name: f.Name + " " + strings.ReplaceAll(ib.Type, "-", " ") + " (" + ib.Name + ")", Type: ib.Type, Identity: "checksum", Channel: ch, Note: n})
		}
	}
	if len(f.Artifacts) == 0 || promu && len(f.Artifacts) == 1 {
		typ, id, name := "archive", "checksum", " release archives"
		if _, err := fs.Stat(in.fsys, "Dockerfile"); err == nil {
			typ, id, name = "oci-image", "digest", " container image"
		} else if promu {
			return // the promu tarballs are the archives
		}
		n := todo("nothing shows what a release publishes; check the type")
		ch := ""
		if typ == "oci-image" {
			ch = f.registry("", n)
		} else {
			ch = f.ghRelease(n)
		}
		f.addArtifact(Artifact{Name: f.Name + name, Type: typ, Identity: id, Channel: ch, Note: n})
	}
}

// heavyType maps a published file extension to an artifact type.
func heavyType(ext string) (typ, name string) {
	switch ext {
	case ".uf2", ".bin", ".hex", ".raucb", ".swu", ".mender", ".ipk":
		return "firmware", "firmware"
	}
	return "os-image", "OS image"
}

var (
	runTargetRe = regexp.MustCompile(`(?m)(?:^|[;&|]\s*|\s)(make|task|just|mage|npm run|pnpm run|yarn run)\s+(?:-[A-Za-z]+\s+\S+\s+)*([A-Za-z0-9_.:-]+)`)
	notBuild    = regexp.MustCompile(`^(test|tests|lint|check|fmt|format|vet|clean|verify|validate|help|install|deps|bootstrap|tools|ci-bootstrap|generate|docs|coverage|(test|lint|check|sign|push|publish|upload|deploy|install|setup)-.*|.*-ci)$`)
)

func (f *Facts) draftEntrypoint(in *inputs) {
	defined := map[string][]string{"make": in.targets.Make, "task": in.targets.Task, "just": in.targets.Just, "mage": in.targets.Mage, "npm run": in.targets.NPM, "pnpm run": in.targets.NPM, "yarn run": in.targets.NPM}
	file := map[string]string{"make": "Makefile", "task": "Taskfile.yaml", "just": "justfile", "mage": "magefile.go", "npm run": "package.json", "pnpm run": "package.json", "yarn run": "package.json"}
	for _, n := range []string{"Taskfile.yml", "taskfile.yml", "taskfile.yaml"} {
		if _, err := fs.Stat(in.fsys, n); err == nil {
			file["task"] = n
		}
	}
	if _, err := fs.Stat(in.fsys, "magefile.go"); err != nil {
		file["mage"] = "magefiles"
	}
	// What the release workflow really runs comes first.
	for _, w := range in.builders {
		if len(w.Publishes) == 0 {
			// Its publishing is not visible (a shared action or an
			// external workflow): what else it runs is no evidence.
			continue
		}
		for _, run := range w.Runs {
			for _, m := range runTargetRe.FindAllStringSubmatch(run, -1) {
				tool, target := m[1], m[2]
				if notBuild.MatchString(target) || !slices.Contains(defined[tool], target) {
					continue
				}
				if tool == "make" && publishes(in.recipes[target]) {
					continue // a third party cannot run what pushes or signs
				}
				f.Entrypoint = Entrypoint{ID: idPart(strings.Fields(tool)[0] + "-" + target), Command: tool + " " + target, Path: file[tool],
					Note: from(w.Path + ", which runs it"), PathNote: from("target " + target + " defined there")}
				return
			}
		}
	}
	if in.gr != nil && in.grRun != nil {
		f.Entrypoint = Entrypoint{ID: "goreleaser", Command: "goreleaser release --snapshot --clean", Path: in.gr.Path,
			Note: from(in.grRun.Path + ", which runs goreleaser release"), PathNote: from("the GoReleaser configuration")}
		if in.grGuess {
			f.Entrypoint.Note = todo(in.grRun.Path + " " + in.grRun.MaybeRel + "; check it runs goreleaser")
		}
		return
	}
	if py := pythonProject(in.fsys); py != "" {
		for _, w := range in.builders {
			if slices.Contains(w.Packages, "pypi") {
				// PyPI takes sdists and wheels; python -m build (PyPA's
				// build front end) makes both from the project file.
				f.Entrypoint = Entrypoint{ID: "python-build", Command: "python -m build", Path: py,
					Note: todo(w.Path + " publishes a Python package to PyPI; check `python -m build` is how it is built"), PathNote: from("the Python project file")}
				return
			}
		}
	}
	for _, tool := range []string{"make", "task", "just", "mage", "npm run"} {
		for _, t := range []string{"release", "dist", "build", "image", "images", "package", "all"} {
			if slices.Contains(defined[tool], t) {
				f.Entrypoint = Entrypoint{ID: idPart(strings.Fields(tool)[0] + "-" + t), Command: tool + " " + t, Path: file[tool],
					Note: todo("no release workflow runs a target; check `" + tool + " " + t + "` builds what is published"), PathNote: from("target " + t + " defined there")}
				return
			}
		}
	}
	if len(in.images) > 0 {
		ib := in.images[0]
		cmd, p := map[string][2]string{
			"mkosi": {"mkosi build", "mkosi.conf"}, "Buildroot": {"make", "Config.in"}, "Yocto": {"bitbake <image>", ib.Evidence},
			"pi-gen": {"./build.sh", "build.sh"}, "coreos-assembler": {"cosa build", "manifest.yaml"}, "Packer": {"packer build " + ib.Evidence, ib.Evidence},
			"PlatformIO": {"pio run", "platformio.ini"}, "Armbian build framework": {"./compile.sh", "compile.sh"},
		}[ib.Name][0], map[string]string{"Armbian build framework": "compile.sh", "mkosi": "mkosi.conf", "Buildroot": "Config.in", "Yocto": ib.Evidence, "pi-gen": "build.sh", "coreos-assembler": "manifest.yaml", "Packer": ib.Evidence, "PlatformIO": "platformio.ini"}[ib.Name]
		if ib.Name == "mkosi" {
			p = ib.Evidence
		}
		f.Entrypoint = Entrypoint{ID: idPart(ib.Name + "-build"), Command: cmd, Path: p,
			Note: todo("the " + ib.Name + " command that builds the release; check it"), PathNote: from(ib.Name + " configuration")}
		return
	}
	f.Entrypoint = Entrypoint{ID: "build", Command: "make build", Path: "Makefile",
		Note: todo("no build target found; write the command a third party runs"), PathNote: todo("the file that defines the build")}
	if len(in.targets.Make) == 0 {
		if _, err := fs.Stat(in.fsys, "Makefile"); err == nil {
			f.Entrypoint.PathNote = todo("the Makefile defines no target found here")
		}
	}
}

// publishes reports whether a script pushes, uploads or signs.
func publishes(script string) bool {
	script = commands(script)
	return pushRunRe.MatchString(koLocalEnv.ReplaceAllString(localKoRe.ReplaceAllString(script, ""), "")) ||
		releaseRe.MatchString(script) || uploadRe.MatchString(script) || cosignRe.MatchString(script)
}

func (f *Facts) draftContexts(in *inputs) {
	for _, w := range in.builders {
		for _, t := range w.TagPatterns {
			if !slices.ContainsFunc(f.Contexts, func(c Context) bool { return c.Pattern == t }) {
				f.Contexts = append(f.Contexts, Context{Pattern: t, Note: from(w.Path + " on.push.tags")})
			}
		}
	}
	if len(f.Contexts) == 0 {
		n := "no builder runs on tag pushes; write the tags releases come from"
		for _, w := range in.builders {
			if w.Dispatch {
				n = w.Path + " runs on workflow_dispatch; write the tags it releases from"
				break
			}
		}
		f.Contexts = []Context{{Pattern: "v*", Note: todo(n)}}
	}
}

var (
	sumFileRe = regexp.MustCompile(`\b(SHA256SUMS|SHA512SUMS|sha256sums\.txt|sha512sums\.txt|[A-Za-z0-9_.${}-]*checksums\.txt)\b`)
	perFileRe = regexp.MustCompile(`\.(sha256|sha512)(sum)?\b`)
)

func (f *Facts) draftChecksums(in *inputs) {
	if g := in.gr; g != nil && in.grRun != nil && g.Checksum != "" && g.Checksum != "-" {
		f.Checksums = &Checksums{File: g.Checksum, Note: from(g.Path + " checksum.name_template")}
		if in.grGuess {
			f.Checksums.Note = todo(g.Path + " names it; check " + in.grRun.Path + " runs goreleaser release")
		}
		return
	}
	for _, w := range in.builders {
		for _, run := range w.Runs {
			if m := sumFileRe.FindString(run); m != "" && !strings.Contains(m, "$") {
				f.Checksums = &Checksums{File: m, Note: from(w.Path)}
				return
			}
		}
	}
	if m := sumFileRe.FindString(in.makefile); m != "" && !strings.Contains(m, "$") {
		f.Checksums = &Checksums{File: m, Note: from("Makefile")}
		return
	}
	if m := perFileRe.FindStringSubmatch(in.makefile); m != nil {
		f.Checksums = &Checksums{File: "*." + m[1], Note: from("Makefile: one ." + m[1] + " file beside each artifact")}
		return
	}
	if g := in.gr; g != nil && g.Checksum != "" && g.Checksum != "-" {
		f.Checksums = &Checksums{File: g.Checksum, Note: todo(g.Path + " names it, but no workflow runs goreleaser release")}
		return
	}
	for _, a := range f.Artifacts {
		if a.Type != "oci-image" && a.Type != "oci-artifact" {
			f.Checksums = &Checksums{File: "SHA256SUMS", Note: todo("no checksum file found; publish one and name it here")}
			return
		}
	}
}

var gpgMakeRe = regexp.MustCompile(`\bgpg2?\b[^\n]*(--detach-sign|-b\b|--clearsign)`)

func (f *Facts) draftSigning(in *inputs) {
	type ev struct {
		Evidence
		by *Workflow // the workflow that signs, for keyless identity
	}
	var sig []ev
	if g := in.gr; g != nil {
		for _, e := range g.Signs {
			if in.grRun == nil || in.grGuess {
				e.Weak = true // configured, not seen run
			}
			sig = append(sig, ev{e, in.grRun})
		}
	}
	for i := range in.builders {
		for _, e := range in.builders[i].Signing {
			sig = append(sig, ev{e, &in.builders[i]})
		}
	}
	if gpgMakeRe.MatchString(in.makefile) {
		sig = append(sig, ev{Evidence{Method: "gpg", From: "Makefile (gpg detached signatures)", Weak: true}, nil})
	}
	if len(sig) > 0 {
		best := sig[0]
		for _, e := range sig {
			if !e.Weak && (best.Weak || e.Method == "cosign-keyless" && best.Method != "cosign-keyless") {
				best = e
			}
		}
		f.Signatures = Signatures{Used: true, Method: best.Method, Note: from(best.From)}
		if best.Weak {
			f.Signatures.Note = todo(best.From + " shows signing configured, not seen run for every release; check")
		}
		if best.Method == "cosign-keyless" {
			if best.by != nil {
				ref := "refs/tags/*"
				idNote := from(best.by.Path + ", the workflow that signs")
				if best.Weak {
					idNote = todo("if " + best.by.Path + " signs, this is its identity; check")
				}
				if len(best.by.TagPatterns) > 0 {
					ref = "refs/tags/" + best.by.TagPatterns[0]
				} else {
					idNote = todo(best.by.Path + " signs; check the ref it runs on")
				}
				f.Signatures.Identity = keylessSubject("https://github.com/"+f.Owner+"/"+f.Name+"/"+best.by.Path+"@", ref)
				if f.RepoNote.Guess() {
					idNote = todo("owner/name were guessed; fix them here too")
				}
				f.Signatures.IDNote = idNote
			}
		}
	} else {
		f.Signatures.Note = from("searching workflows, GoReleaser and the Makefile: nothing signs")
		if len(in.builders) == 0 {
			f.Signatures.Note = todo("no publishing workflow found; check how releases are signed")
		}
	}
	var types []string
	var notes []string
	var attester *Workflow
	generator := false
	for i, w := range in.builders {
		for _, e := range w.Attests {
			types = appendNew(types, e.Method)
			notes = appendNew(notes, e.From)
			if attester == nil {
				attester = &in.builders[i]
			}
			generator = generator || strings.Contains(e.From, "slsa-github-generator")
		}
	}
	if len(types) > 0 {
		f.Attestations = Attestations{Used: true, Types: types, Note: from(strings.Join(notes, "; "))}
		switch {
		case generator:
			// The generator's reusable workflow signs, not the caller.
			f.Attestations.Identity = SignerSubject{Regexp: "^https://github\\.com/slsa-framework/slsa-github-generator/\\.github/workflows/[^@]+@refs/tags/v[^/]*$"}
			f.Attestations.IDNote = todo("slsa-github-generator's reusable workflow signs the provenance; check the workflow and tags")
		case attester != nil:
			ref, idNote := "refs/tags/*", from(attester.Path+", the workflow that attests")
			if len(attester.TagPatterns) > 0 {
				ref = "refs/tags/" + attester.TagPatterns[0]
			} else {
				idNote = todo(attester.Path + " attests; check the ref it runs on")
			}
			if f.RepoNote.Guess() {
				idNote = todo("owner/name were guessed; fix them here too")
			}
			f.Attestations.Identity = keylessSubject("https://github.com/"+f.Owner+"/"+f.Name+"/"+attester.Path+"@", ref)
			f.Attestations.IDNote = idNote
		}
	} else {
		f.Attestations.Note = from("searching workflows: no attest-build-provenance, slsa-github-generator or cosign attest")
		if len(in.builders) == 0 {
			f.Attestations.Note = todo("no publishing workflow found; check whether releases carry attestations")
		}
	}
}

// slug turns a workflow path into a builder id: .github/workflows/release.yml → release-workflow.
func slug(p string) string {
	s := idPart(strings.TrimSuffix(path.Base(p), path.Ext(p)))
	if s == "" {
		s = "release"
	}
	return s + "-workflow"
}

// idPart lowercases s and replaces what a slug cannot hold with hyphens.
func idPart(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	for strings.Contains(out, "--") {
		out = strings.ReplaceAll(out, "--", "-")
	}
	return out
}

// keylessSubject is the certificate subject of a GitHub Actions workflow
// that signs: prefix (https://github.com/OWNER/REPO/PATH@) then ref, a
// GitHub filter pattern such as refs/tags/v*. A ref without pattern
// characters is an exact subject; otherwise the result is a subject_regexp
// (the prefix quoted, the ref as filterpattern compiles it).
func keylessSubject(prefix, ref string) SignerSubject {
	if !strings.ContainsAny(ref, "*+?[]!") {
		return SignerSubject{Subject: prefix + ref}
	}
	p, err := filterpattern.Compile(ref)
	if err != nil {
		return SignerSubject{Subject: prefix + ref}
	}
	return SignerSubject{Regexp: "^" + regexp.QuoteMeta(prefix) + strings.TrimPrefix(p.Regexp(), "^")}
}

// SignerSubject is the drafted certificate subject: exact, or a regular
// expression.
type SignerSubject struct{ Subject, Regexp string }
