package starter

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/surface"
	"go.yaml.in/yaml/v3"
)

// GoReleaser is what a GoReleaser configuration publishes.
type GoReleaser struct {
	Path        string   // .goreleaser.yaml
	ProjectName string   // project_name, if set
	Archives    bool     // builds packed as archives (the default when builds exist)
	Binaries    bool     // archives with format binary: bare files
	Packages    bool     // nfpms: .deb, .rpm, .apk
	Images      []string // dockers/dockers_v2/kos image templates' repositories
	Checksum    string   // checksum file name as rendered from name_template
	Signs       []Evidence
	SBOMs       bool
}

// readGoReleaser reads the first GoReleaser configuration at the root.
func readGoReleaser(fsys fs.FS, repoName string) *GoReleaser {
	for _, n := range []string{".goreleaser.yaml", ".goreleaser.yml", "goreleaser.yaml", "goreleaser.yml"} {
		b, err := surface.Read(fsys, n)
		if err != nil {
			continue
		}
		var doc map[string]any
		if yaml.Unmarshal(b, &doc) != nil || doc == nil {
			continue
		}
		g := &GoReleaser{Path: n}
		g.ProjectName, _ = doc["project_name"].(string)
		if g.ProjectName == "" {
			g.ProjectName = repoName // GoReleaser's default
		}
		_, hasBuilds := doc["builds"]
		archives, hasArchives := doc["archives"].([]any)
		if hasBuilds && !hasArchives {
			g.Archives = true // GoReleaser archives every build by default
		}
		for _, a := range archives {
			m, _ := a.(map[string]any)
			formats := []string{}
			if f, ok := m["format"].(string); ok {
				formats = append(formats, f)
			}
			if fs, ok := m["formats"].([]any); ok {
				for _, f := range fs {
					if s, ok := f.(string); ok {
						formats = append(formats, s)
					}
				}
			}
			if slices.Equal(formats, []string{"binary"}) {
				g.Binaries = true
			} else {
				g.Archives = true
			}
		}
		if _, ok := doc["nfpms"]; ok {
			g.Packages = true
		}
		for _, key := range []string{"dockers", "dockers_v2", "kos", "docker_manifests"} {
			list, _ := doc[key].([]any)
			for _, d := range list {
				m, _ := d.(map[string]any)
				for _, field := range []string{"image_templates", "images", "repositories", "repository"} {
					for _, t := range stringsOf(m[field]) {
						if r := imageRepo(t); r != "" {
							g.Images = appendNew(g.Images, r)
						}
					}
				}
				if len(g.Images) == 0 && len(m) > 0 {
					g.Images = appendNew(g.Images, "")
				}
			}
		}
		name := g.ProjectName
		if cs, ok := doc["checksum"].(map[string]any); ok {
			if t, ok := cs["name_template"].(string); ok {
				g.Checksum = renderTemplate(t, name)
			}
			if d, ok := cs["disable"].(bool); ok && d {
				g.Checksum = "-"
			}
		}
		if g.Checksum == "" && (g.Archives || g.Binaries) {
			g.Checksum = renderTemplate("{{ .ProjectName }}_{{ .Version }}_checksums.txt", name)
		}
		for _, key := range []string{"signs", "docker_signs", "binary_signs"} {
			list, _ := doc[key].([]any)
			for _, s := range list {
				m, _ := s.(map[string]any)
				cmd, _ := m["cmd"].(string)
				args := strings.Join(stringsOf(m["args"]), " ")
				method := "other"
				switch {
				case strings.Contains(cmd, "cosign") || (cmd == "" && key == "docker_signs"):
					method = "cosign-keyless"
					if strings.Contains(args, "--key") {
						method = "cosign-key"
					}
				case cmd == "" || strings.Contains(cmd, "gpg"):
					method = "gpg" // GoReleaser signs with gpg by default
				}
				g.Signs = append(g.Signs, Evidence{Method: method, From: n + " " + key + " (" + firstWords(cmd+" "+args, 2) + ")"})
			}
		}
		if _, ok := doc["sboms"]; ok {
			g.SBOMs = true
		}
		return g
	}
	return nil
}

// renderTemplate fills the template fields a checksum name uses; the
// version stays a placeholder because it changes every release.
func renderTemplate(t, project string) string {
	r := regexp.MustCompile(`\{\{-?\s*\.ProjectName\s*-?\}\}`)
	if project != "" {
		t = r.ReplaceAllString(t, project)
	}
	t = regexp.MustCompile(`\{\{-?\s*\.(Version|Tag)\s*-?\}\}`).ReplaceAllString(t, "<version>")
	return strings.TrimSpace(t)
}

func stringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// imageRepo strips tag and templates from an image template: the
// repository part, or "" when a template hides it.
func imageRepo(t string) string {
	t = strings.TrimSpace(t)
	if i := strings.Index(t, "{{"); i >= 0 {
		t = t[:i]
	}
	if i := strings.LastIndexByte(t, ':'); i > strings.LastIndexByte(t, '/') {
		t = t[:i]
	}
	t = strings.TrimRight(t, ":/-_.")
	if !strings.Contains(t, "/") {
		return ""
	}
	if host, _, _ := strings.Cut(t, "/"); !strings.ContainsAny(host, ".:") {
		t = "docker.io/" + t // Docker Hub short form
	}
	return t
}

// Targets are the build targets a repository defines, by the file defining them.
type Targets struct {
	Make, Task, Just, Mage, NPM []string
}

var (
	targetRe = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9_./-]*)\s*:([^=]|$)`)
	justRe   = regexp.MustCompile(`^@?([A-Za-z0-9][A-Za-z0-9_-]*)(\s+[^:=]*)?:([^=]|$)`)
	mageRe   = regexp.MustCompile(`(?m)^func ([A-Z][A-Za-z0-9]*)\(`)
)

// readTargets parses the targets of the root Makefile, Taskfile, justfile,
// magefiles and package.json scripts.
func readTargets(fsys fs.FS) Targets {
	var t Targets
	for _, n := range []string{"Makefile", "makefile", "GNUmakefile"} {
		if b, err := surface.Read(fsys, n); err == nil {
			t.Make = makeTargets(b)
			break
		}
	}
	for _, n := range []string{"Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml"} {
		if b, err := surface.Read(fsys, n); err == nil {
			var doc struct {
				Tasks yaml.Node `yaml:"tasks"`
			}
			if yaml.Unmarshal(b, &doc) == nil && doc.Tasks.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(doc.Tasks.Content); i += 2 {
					t.Task = append(t.Task, doc.Tasks.Content[i].Value)
				}
			}
			break
		}
	}
	for _, n := range []string{"justfile", "Justfile", ".justfile"} {
		if b, err := surface.Read(fsys, n); err == nil {
			sc := bufio.NewScanner(bytes.NewReader(b))
			for sc.Scan() {
				if m := justRe.FindStringSubmatch(sc.Text()); m != nil && !slices.Contains(t.Just, m[1]) {
					t.Just = append(t.Just, m[1])
				}
			}
			break
		}
	}
	mageFiles := []string{"magefile.go"}
	if es, err := fs.ReadDir(fsys, "magefiles"); err == nil {
		for _, e := range es {
			if strings.HasSuffix(e.Name(), ".go") {
				mageFiles = append(mageFiles, path.Join("magefiles", e.Name()))
			}
		}
	}
	for _, n := range mageFiles {
		if b, err := surface.Read(fsys, n); err == nil {
			for _, m := range mageRe.FindAllSubmatch(b, -1) {
				t.Mage = appendNew(t.Mage, strings.ToLower(string(m[1])))
			}
		}
	}
	if b, err := surface.Read(fsys, "package.json"); err == nil {
		var doc struct {
			Scripts map[string]string `json:"scripts"`
		}
		if json.Unmarshal(b, &doc) == nil {
			for k := range doc.Scripts {
				t.NPM = append(t.NPM, k)
			}
			slices.Sort(t.NPM)
		}
	}
	return t
}

// makeRecipes maps each Makefile target to its recipe lines and, one level
// deep, the recipes of its prerequisites.
func makeRecipes(b []byte) map[string]string {
	own := map[string]string{}
	deps := map[string][]string{}
	var cur []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "\t") {
			for _, t := range cur {
				own[t] += strings.TrimPrefix(line, "\t") + "\n"
			}
			continue
		}
		if m := targetRe.FindStringSubmatch(line); m != nil {
			head, rest, _ := strings.Cut(line, ":")
			cur = strings.Fields(head)
			for _, t := range cur {
				deps[t] = append(deps[t], strings.Fields(strings.SplitN(rest, "#", 2)[0])...)
			}
		} else if strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#") {
			cur = nil
		}
	}
	out := map[string]string{}
	for t, r := range own {
		out[t] = r
	}
	for t, ds := range deps {
		for _, d := range ds {
			out[t] += own[d]
		}
	}
	return out
}

func makeTargets(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		m := targetRe.FindStringSubmatch(line)
		if m == nil || strings.HasPrefix(m[1], ".") || strings.Contains(m[1], "%") {
			continue
		}
		// "a b c: deps" defines several targets; the regexp took the first.
		head, _, _ := strings.Cut(line, ":")
		for _, name := range strings.Fields(head) {
			if !slices.Contains(out, name) && !strings.ContainsAny(name, "$%") {
				out = append(out, name)
			}
		}
	}
	return out
}

// ImageBuilder is an OS-image or firmware build system found in the tree.
type ImageBuilder struct {
	Name, Evidence, Type string // e.g. "Yocto", "meta-foo/conf/layer.conf", "os-image"
}

// findImageBuilders looks for the marker files of the image builders the
// policy's heavy-artifact rules are about.
func findImageBuilders(fsys fs.FS) []ImageBuilder {
	var out []ImageBuilder
	exists := func(p string) bool { _, err := fs.Stat(fsys, p); return err == nil }
	add := func(name, ev, typ string) { out = append(out, ImageBuilder{name, ev, typ}) }
	for _, p := range []string{"mkosi.conf", "mkosi.conf.d"} {
		if exists(p) {
			add("mkosi", p, "os-image")
			break
		}
	}
	if exists("Config.in") && exists("package/Config.in") {
		add("Buildroot", "Config.in", "os-image")
	} else if m, _ := fs.Glob(fsys, "*/external.desc"); len(m) > 0 {
		add("Buildroot", m[0], "os-image")
	}
	if m, _ := fs.Glob(fsys, "meta-*/conf/layer.conf"); len(m) > 0 {
		add("Yocto", m[0], "os-image")
	} else if exists("conf/layer.conf") {
		add("Yocto", "conf/layer.conf", "os-image")
	}
	if exists("build.sh") && exists("stage0") && exists("stage2") {
		add("pi-gen", "build.sh and stage0..stage2", "os-image")
	}
	if exists("manifest.yaml") && exists("image.yaml") && (exists("overlay.d") || exists("manifests")) {
		add("coreos-assembler", "manifest.yaml and image.yaml", "os-image")
	}
	if m, _ := fs.Glob(fsys, "*.pkr.hcl"); len(m) > 0 {
		add("Packer", m[0], "os-image")
	} else if m, _ := fs.Glob(fsys, "*/*.pkr.hcl"); len(m) > 0 {
		add("Packer", m[0], "os-image")
	}
	if exists("compile.sh") && exists("config/boards") {
		// Armbian's build framework: one script, a directory of board
		// configurations, OS images per board.
		add("Armbian build framework", "compile.sh and config/boards", "os-image")
	}
	if exists("platformio.ini") {
		add("PlatformIO", "platformio.ini", "firmware")
	}
	return out
}

// promuTarballs reports whether a .promu.yml (Prometheus' promu, which
// cross-builds and packs release tarballs) configures a tarball section,
// and names the file.
func promuTarballs(fsys fs.FS) (string, bool) {
	for _, n := range []string{".promu.yml", ".promu.yaml"} {
		b, err := surface.Read(fsys, n)
		if err != nil {
			continue
		}
		var cfg map[string]any
		if yaml.Unmarshal(b, &cfg) != nil {
			return n, false
		}
		_, ok := cfg["tarball"]
		return n, ok
	}
	return "", false
}

// pythonProject names the file that makes the tree a buildable Python
// package (pyproject.toml, else setup.py), or "".
func pythonProject(fsys fs.FS) string {
	for _, n := range []string{"pyproject.toml", "setup.py"} {
		if _, err := fs.Stat(fsys, n); err == nil {
			return n
		}
	}
	return ""
}
