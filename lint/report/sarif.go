package report

import (
	"encoding/json"
	"io"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/rules"
)

// SARIF 2.1.0, the subset relpolicy writes.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
	// Properties carry the coverage (scanned, skipped, exempted,
	// below_confidence) when lint reports it.
	Properties *Coverage `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	DefaultConfiguration sarifConfig       `json:"defaultConfiguration"`
	Properties           map[string]string `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	// Properties hold the finding's confidence (high, medium, low) when
	// its rule weighs one.
	Properties map[string]string `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

func level(s finding.Severity) string {
	if s == finding.Warning {
		return "warning"
	}
	return "error"
}

func writeSARIF(w io.Writer, tool Tool, fs []finding.Finding, cov *Coverage) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: tool.Name, Version: tool.Version,
			InformationURI: "https://github.com/tooo/relpolicy",
		}},
		Results:    []sarifResult{},
		Properties: cov,
	}
	index := map[string]int{}
	for i, r := range rules.All {
		index[r.ID] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   r.ID,
			Name:                 ruleName(r.Title),
			ShortDescription:     sarifText{Text: r.Title},
			FullDescription:      sarifText{Text: r.Doc},
			Help:                 sarifText{Text: ExplainText(r), Markdown: ExplainMarkdown(r)},
			DefaultConfiguration: sarifConfig{Level: level(r.Severity)},
			Properties:           map[string]string{"clause": r.Clause, "phase": string(r.Phase)},
		})
	}
	for _, f := range fs {
		msg := f.Message
		if f.Hint != "" {
			msg += " (hint: " + f.Hint + ")"
		}
		loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: DisplayPath(f), URIBaseID: "%SRCROOT%"}}
		if f.Line > 0 {
			loc.Region = &sarifRegion{StartLine: f.Line, StartColumn: max(f.Column, 1)}
		}
		res := sarifResult{
			RuleID: f.Rule, RuleIndex: index[f.Rule], Level: level(f.Severity),
			Message: sarifText{Text: msg}, Locations: []sarifLocation{{PhysicalLocation: loc}},
		}
		if f.Fingerprint != "" {
			res.PartialFingerprints = map[string]string{"relpolicy/v1": f.Fingerprint}
		}
		if f.Confidence != "" {
			res.Properties = map[string]string{"confidence": string(f.Confidence)}
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	})
}

// ruleName turns a title into a PascalCase SARIF rule name.
func ruleName(title string) string {
	out := make([]byte, 0, len(title))
	up := true
	for i := 0; i < len(title); i++ {
		c := title[i]
		switch {
		case c >= 'a' && c <= 'z':
			if up {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			up = false
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			out = append(out, c)
			up = false
		default:
			up = true
		}
	}
	return string(out)
}
