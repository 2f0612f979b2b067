package site

import (
	"bytes"
	"encoding/xml"
	"strings"
	"time"
)

// Atom (RFC 4287) feeds of releases.

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Links     []atomLink  `xml:"link"`
	Entries   []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published,omitempty"`
	Author    atomPerson `xml:"author"`
	Links     []atomLink `xml:"link"`
	Summary   atomText   `xml:"summary"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// feedMax caps the organisation feed; repository feeds list every release.
const feedMax = 100

// writeFeed renders the Atom feed at feedPath (site-relative) listing
// releases (newest first). Links are relative to the feed unless baseURL
// is set; the feed's "updated" is its newest entry, or now without one.
func writeFeed(b *bytes.Buffer, feedPath, title, id string, releases []*releaseModel, baseURL string, now time.Time) error {
	prefix := strings.Repeat("../", strings.Count(feedPath, "/"))
	abs := func(p string) string {
		if baseURL != "" {
			return baseURL + "/" + p
		}
		return prefix + p
	}
	dir := feedPath[:strings.LastIndex(feedPath, "/")+1]
	f := atomFeed{
		ID:        id,
		Title:     title,
		Subtitle:  "Official releases, with their digests and checksums",
		Updated:   now.UTC().Format(time.RFC3339),
		Author:    atomPerson{Name: "relpolicy"},
		Generator: "relpolicy",
		Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: abs(dir + "index.html")}},
	}
	if baseURL != "" {
		f.ID = baseURL + "/" + feedPath
		f.Links = append(f.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: baseURL + "/" + feedPath})
	}
	for i, rel := range releases {
		if i == 0 && rel.publishedOK {
			f.Updated = rel.Published
		}
		e := atomEntry{
			ID:        "urn:relpolicy:release:" + rel.Repo.Name + ":" + rel.Version,
			Title:     rel.Repo.Name + " " + rel.Version,
			Updated:   rel.Published,
			Published: rel.Published,
			Author:    atomPerson{Name: rel.Repo.Owner},
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: abs(rel.Dir + "index.html")}},
			Summary:   atomText{Type: "text", Text: releaseSummary(rel)},
		}
		if baseURL != "" {
			e.ID = baseURL + "/" + rel.Dir
		}
		if !rel.publishedOK {
			e.Updated, e.Published = f.Updated, ""
		}
		f.Entries = append(f.Entries, e)
	}
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(b)
	enc.Indent("", " ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	b.WriteByte('\n')
	return nil
}

// releaseSummary is the plain-text summary of a release in feeds.
func releaseSummary(rel *releaseModel) string {
	var s strings.Builder
	s.WriteString(rel.Repo.Name + " " + rel.Version)
	if rel.Revision != "" {
		s.WriteString(", revision " + rel.Revision)
	}
	s.WriteString(".")
	for _, a := range rel.Artifacts {
		s.WriteString("\n" + a.Name + ":")
		if a.Pinned != "" {
			s.WriteString(" " + a.Pinned)
		} else if a.Digest != "" {
			s.WriteString(" " + a.Digest)
		}
		for _, f := range a.Files {
			s.WriteString(" " + f.Name)
			if f.SHA256 != "" {
				s.WriteString(" (sha256 " + f.SHA256 + ")")
			}
		}
	}
	return s.String()
}
