package rules

// All lists every rule, sorted by ID. Adding a rule means adding it here.
var All = []*Rule{
	rp001, rp002, rp003, rp004, rp005,
	rp101, rp102, rp103, rp104, rp105,
	rp201, rp202, rp203, rp204, rp205, rp206, rp207, rp208, rp209, rp210,
	rp211, rp212, rp213, rp214, rp215, rp216, rp217, rp218, rp219, rp220, rp221, rp222,
	rp301, rp302, rp303, rp304, rp305, rp306, rp307, rp308,
	rp401, rp402, rp403, rp404, rp405, rp406, rp407, rp408,
	rp501, rp502, rp503, rp504, rp505,
}

// ByID returns the rule with the given ID (case-insensitive), or nil.
func ByID(id string) *Rule {
	for _, r := range All {
		if equalFold(r.ID, id) {
			return r
		}
	}
	return nil
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if 'a' <= y && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
