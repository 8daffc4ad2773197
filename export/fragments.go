package export

// kindKey is what the markup of a transaction's kind depends on: its
// Powens type and the sign of its amount (every mapping, camtCode, ofxType
// and cfonb.OperationCode, reads no more).
type kindKey struct {
	typ  string
	sign int8
}

func signOf(minor int64) int8 {
	switch {
	case minor < 0:
		return -1
	case minor > 0:
		return 1
	}
	return 0
}

// maxKinds bounds a kindFragments cache: Powens has a few dozen types, and
// a statement carrying more distinct ones builds the rest each time.
const maxKinds = 256

// kindFragments builds the markup of each kind once per statement, so that
// writing an entry appends it instead of mapping and concatenating again.
type kindFragments struct {
	// few holds the first kinds met, looked up by comparing: a statement
	// has a handful, and comparing short strings costs less than hashing.
	few   []kindFragment
	built map[kindKey]string
	build func(powensType string, minor int64) string
}

// kindFragment is one kind's markup.
type kindFragment struct {
	kindKey
	markup string
}

// fewKinds is how many kinds few holds before the map takes the rest.
const fewKinds = 8

func newKindFragments(build func(powensType string, minor int64) string) *kindFragments {
	return &kindFragments{built: map[kindKey]string{}, build: build}
}

// get returns the markup of t's kind.
func (f *kindFragments) get(powensType string, minor int64) string {
	sign := signOf(minor)
	for i := range f.few {
		if f.few[i].sign == sign && f.few[i].typ == powensType {
			return f.few[i].markup
		}
	}
	k := kindKey{powensType, sign}
	if s, ok := f.built[k]; ok {
		return s
	}
	s := f.build(powensType, minor)
	switch {
	case len(f.few) < fewKinds:
		f.few = append(f.few, kindFragment{k, s})
	case len(f.built) < maxKinds:
		f.built[k] = s
	}
	return s
}
