package schema

// IsHeavy reports whether the artifact is heavy: its heavy field, else its
// type's default.
func (a Artifact) IsHeavy() bool {
	if a.Heavy != nil {
		return *a.Heavy
	}
	return a.Type.HeavyByDefault()
}

// IsOCI reports whether the artifact is published to an OCI registry.
func (a Artifact) IsOCI() bool { return a.Type.IsOCI() }

// Artifact returns the artifact with the given id.
func (p *Policy) Artifact(id Slug) (Artifact, bool) {
	for _, a := range p.Artifacts {
		if a.ID == id {
			return a, true
		}
	}
	return Artifact{}, false
}

// Channel returns the channel with the given id.
func (p *Policy) Channel(id Slug) (Channel, bool) {
	for _, c := range p.Channels {
		if c.ID == id {
			return c, true
		}
	}
	return Channel{}, false
}

// ReviewInterval returns review.interval_days, defaulting to 90.
func (p *Policy) ReviewInterval() int {
	if p.Review.IntervalDays > 0 {
		return p.Review.IntervalDays
	}
	return 90
}

// SurfacedFields are the provenance fields the policy requires users can see.
var SurfacedFields = []string{"source", "revision", "version", "created", "digest"}
