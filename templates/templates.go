// Package templates holds the site's default templates, stylesheet and
// script. `relpolicy site --templates DIR` overlays them: a file in DIR
// replaces the embedded file of the same name, and new files are added.
//
// Page templates (index.html, repo.html, release.html, digest.html) each
// define "title" and "main" (and may define "head") and are executed
// through "layout", defined in layout.html with the shared partials. Every
// other *.html file is a partial shared by all pages. Every file that is
// not *.html is copied to assets/ in the output. docs/site.md documents the
// data each page receives.
package templates

import "embed"

// FS holds the embedded default templates and assets.
//
//go:embed *.html *.css *.js *.svg
var FS embed.FS
